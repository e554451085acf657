package io.seedmq.messaging.notify;

/**
 * Handles one notification: the single-method form of an endpoint, see
 * {@link NotificationEndpoint#of(NotificationFilter, NotificationHandler)}. Called on one of the
 * listener's executor threads; must be thread-safe when the executor has more than one thread.
 */
@FunctionalInterface
public interface NotificationHandler {

    /**
     * @param notification the notification, which passed the endpoint's filter
     * @return {@link NotificationResult#HANDLED} (or {@code null}) to acknowledge it,
     *     {@link NotificationResult#REQUEUE} to have it delivered again
     * @throws Exception any failure; it counts as {@code REQUEUE}, a bounded number of times
     */
    NotificationResult handle(Notification notification) throws Exception;
}
