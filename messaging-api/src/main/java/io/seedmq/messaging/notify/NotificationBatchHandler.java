package io.seedmq.messaging.notify;

import java.util.List;

/**
 * Handles a batch of notifications of one priority (oslo's batch endpoints), see
 * {@link NotificationEndpoint#batch(NotificationFilter, NotificationBatchHandler)}. Called on one of the
 * listener's executor threads.
 */
@FunctionalInterface
public interface NotificationBatchHandler {

    /**
     * @param notifications one or more notifications of the same priority that passed the
     *     endpoint's filter, in arrival order; unmodifiable
     * @return {@code HANDLED} (or {@code null}) to acknowledge the batch; {@code REQUEUE} to have
     *     every notification of that priority in the batch delivered again
     * @throws Exception any failure; it counts as {@code REQUEUE}, a bounded number of times
     */
    NotificationResult handle(List<Notification> notifications) throws Exception;
}
