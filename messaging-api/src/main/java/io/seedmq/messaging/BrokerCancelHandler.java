package io.seedmq.messaging;

/**
 * Hears when the broker cancels a consumer's subscription, typically because its queue was
 * deleted. No more messages come from that queue; the default handler logs a warning.
 */
@FunctionalInterface
public interface BrokerCancelHandler {

    /** @param queue the queue whose subscription ended */
    void onCancelledByBroker(String queue);
}
