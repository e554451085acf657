package io.seedmq.messaging.spi;

/** An active subscription to a queue. Thread-safe. */
public interface Subscription {

    /** @return the consumer tag the broker knows this subscription by */
    String consumerTag();

    /** @return the queue subscribed to */
    String queue();

    /**
     * Cancels the subscription: once this returns the broker sends no more messages to it (a
     * delivery already being handed to the listener may still complete). Unsettled deliveries
     * stay unacknowledged until settled or until the connection closes. Idempotent; bounded by
     * the connection's operation timeout.
     */
    void cancel();

    /** @return whether the subscription is active (not cancelled by the application or the broker) */
    boolean isActive();
}
