package io.seedmq.messaging.spi;

/**
 * Receives a subscription's deliveries. For one subscription, calls are made one at a time, in
 * the order the broker delivered; different subscriptions may be called concurrently on
 * different threads. A listener that throws does not stop the subscription; the transport logs
 * the exception and the API layer decides what happens to the message.
 */
public interface DeliveryListener {

    /** @param delivery the next message */
    void onDelivery(Delivery delivery);

    /**
     * The broker cancelled the subscription (its queue was deleted, or a cluster node failed). No
     * more deliveries follow; messages delivered but not settled can no longer be acknowledged.
     */
    default void onCancelledByBroker() {
    }
}
