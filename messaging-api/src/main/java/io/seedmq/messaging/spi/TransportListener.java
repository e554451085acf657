package io.seedmq.messaging.spi;

/**
 * Hears about a transport connection's life. Methods have empty defaults: implement what you
 * need. They are called on a transport thread and must not block.
 */
public interface TransportListener {

    /** @param cause why the connection was lost; the transport is recovering when it supports recovery */
    default void onConnectionLost(Throwable cause) {
    }

    /** The connection was re-established and its topology and subscriptions restored. */
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

    /** The connection was closed by the application. */
    default void onClosed() {
    }
}
