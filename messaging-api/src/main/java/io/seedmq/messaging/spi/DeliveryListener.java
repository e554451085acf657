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

    /**
     * The subscription ended without the application cancelling it, and the transport will not
     * restore it: the broker cancelled it (as {@link #onCancelledByBroker()}), or the transport
     * could not restore it after recovering its connection (on RabbitMQ: amqp-client's topology
     * recovery failed for the queue or the consumer, e.g. a classic queue whose home node is down).
     * No more deliveries follow; messages delivered but not settled can no longer be acknowledged.
     * The consumer that owns the listener subscribes again if it wants to. Called at most once per
     * subscription, in place of {@link #onCancelledByBroker()}.
     *
     * @param cause what ended it, as the broker or the transport told it
     */
    default void onSubscriptionLost(io.seedmq.messaging.MessagingException cause) {
        onCancelledByBroker();
    }
}
