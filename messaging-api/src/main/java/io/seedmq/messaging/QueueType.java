package io.seedmq.messaging;

import java.util.Locale;

/**
 * RabbitMQ's queue types, declared through {@link Queue#X_QUEUE_TYPE}. Both transports give each
 * its RabbitMQ semantics; which to choose for what is in {@code docs/production-rabbitmq.md}.
 */
public enum QueueType {
    /** The classic queue: any property, priorities, exclusive and auto-delete queues; one node. */
    CLASSIC,
    /**
     * A replicated queue (Raft): always durable, never exclusive or auto-delete; counts deliveries
     * ({@code x-delivery-count}) and dead-letters a message past its {@code x-delivery-limit}.
     */
    QUORUM,
    /**
     * An append-only, replicated log: consuming does not remove anything, each consumer reads from
     * an offset of its own ({@link StreamOffset}), retention is by size and age.
     */
    STREAM;

    /** @return the value of {@code x-queue-type}: {@code classic}, {@code quorum} or {@code stream} */
    public String amqpName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param amqpName the value of {@code x-queue-type}, or {@code null}
     * @return the type; {@link #CLASSIC} for {@code null} (RabbitMQ's default)
     * @throws IllegalArgumentException for a type RabbitMQ does not know
     */
    public static QueueType of(String amqpName) {
        if (amqpName == null) {
            return CLASSIC;
        }
        for (QueueType t : values()) {
            if (t.amqpName().equals(amqpName)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unsupported queue type '" + amqpName + "'");
    }
}
