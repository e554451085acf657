package io.seedmq.messaging.spi;

import io.seedmq.messaging.MessageProperties;

/**
 * One message as the transport delivered it. The API wraps it in a {@code Message} that enforces
 * settle-once; a transport may therefore assume {@link #ack()} and {@link #reject(boolean)} are
 * called at most once, and never for deliveries made with automatic acknowledgement.
 *
 * <p>Settling must go to the channel (or equivalent) the delivery came from. If that channel is
 * gone (connection lost) the settle is dropped, with a debug log: the broker has already requeued
 * the message and will redeliver it, flagged redelivered.
 */
public interface Delivery {

    /** @return the body as received; callers must not modify it */
    byte[] body();

    /** @return the message properties */
    MessageProperties properties();

    /** @return delivery information */
    DeliveryInfo info();

    /**
     * @return whether the broker delivered this message before ({@link DeliveryInfo#redelivered()}).
     *     The API asks it of every delivery; the default reads {@link #info()}, which a transport
     *     that makes the info on demand may spare.
     */
    default boolean redelivered() {
        return info().redelivered();
    }

    /** Acknowledges the message: the broker forgets it. Does not block on a broker round trip. */
    void ack();

    /**
     * Rejects the message.
     *
     * @param requeue {@code true} to put it back in its queue (redelivered flag set),
     *     {@code false} to drop it or, if the queue has a dead-letter exchange, dead-letter it
     */
    void reject(boolean requeue);

    /**
     * Puts the message back in its queue without a verdict on it: seedmq gives back, this way,
     * deliveries it received but never started handling (a consumer that stops). AMQP:
     * {@code basic.nack} with requeue, which a quorum queue on RabbitMQ 4.3 or later does not count
     * against its delivery limit ({@code basic.reject} does). Called at most once, like the other
     * settles. The default is {@code reject(true)}, for a transport with no such distinction.
     */
    default void release() {
        reject(true);
    }
}
