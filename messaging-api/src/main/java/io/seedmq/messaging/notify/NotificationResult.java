package io.seedmq.messaging.notify;

/**
 * What an endpoint says about a notification it handled. Returning {@code null} means
 * {@link #HANDLED}, as returning {@code None} does in oslo.
 */
public enum NotificationResult {
    /** Done: the message is acknowledged. */
    HANDLED,
    /**
     * Try again later: the message is requeued when the listener allows requeueing
     * ({@link ListenerOptions#allowRequeue()}), otherwise logged and acknowledged.
     */
    REQUEUE
}
