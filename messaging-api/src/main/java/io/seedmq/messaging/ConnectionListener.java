package io.seedmq.messaging;

/**
 * Hears about a connection's life. Every method has an empty default. Methods are called on a
 * transport thread and must return quickly.
 */
public interface ConnectionListener {

    /** @param cause why the connection was lost; recovery follows where the transport supports it */
    default void onConnectionLost(Throwable cause) {
    }

    /** The connection, its topology and its consumers are back. */
    default void onRecovered() {
    }

    /** @param cause why recovery gave up for good */
    default void onRecoveryFailed(Throwable cause) {
    }

    /** @param reason the broker stopped accepting publishes (a resource alarm) */
    default void onBlocked(String reason) {
    }

    /** The broker accepts publishes again. */
    default void onUnblocked() {
    }
}
