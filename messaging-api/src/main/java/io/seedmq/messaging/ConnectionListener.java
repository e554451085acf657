package io.seedmq.messaging;

/**
 * Hears about a connection's life: loss, recovery, flow control and close. Every method has an
 * empty default: implement what you need. The same interface serves applications
 * ({@link Connection#addListener}) and transports
 * ({@link io.seedmq.messaging.spi.TransportConnection#addListener}), so what a transport reports
 * reaches the application unchanged.
 *
 * <p>Methods are called on a transport thread (for {@link #onClosed()}, the thread that closed the
 * connection) and must not block: hand longer work to a thread of your own. A listener that throws
 * is logged and the others are still called.
 */
public interface ConnectionListener {

    /** @param cause why the connection was lost; recovery follows where the transport supports it */
    default void onConnectionLost(Throwable cause) {
    }

    /** The connection, its topology and its consumers are back. */
    default void onRecovered() {
    }

    /** @param cause why recovery gave up; the connection is closed for good */
    default void onRecoveryFailed(Throwable cause) {
    }

    /** @param reason the broker stopped accepting publishes (a resource alarm) */
    default void onBlocked(String reason) {
    }

    /** The broker accepts publishes again. */
    default void onUnblocked() {
    }

    /**
     * The application closed the connection: it will not come back. Called once, after the
     * connection is closed, and not for a connection lost to a failure (that is
     * {@link #onConnectionLost} or {@link #onRecoveryFailed}).
     */
    default void onClosed() {
    }
}
