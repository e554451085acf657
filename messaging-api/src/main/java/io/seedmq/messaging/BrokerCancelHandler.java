package io.seedmq.messaging;

/**
 * Hears when a consumer's subscription ends without the application cancelling it: the broker
 * cancelled it (its queue was deleted, or its node went down) or the transport could not restore
 * it. The consumer then subscribes again under its retry policy and logs the loss itself (see
 * {@link Lifecycle}); the default handler does nothing more.
 */
@FunctionalInterface
public interface BrokerCancelHandler {

    /** @param queue the queue whose subscription ended */
    void onCancelledByBroker(String queue);
}
