package io.seedmq.messaging.notify.internal;

import io.seedmq.messaging.Exchange;
import io.seedmq.messaging.ExchangeType;
import io.seedmq.messaging.Queue;

/**
 * The exchanges and queues of notifications, declared exactly as oslo's rabbit driver declares
 * them (with its defaults {@code amqp_durable_queues=False}, {@code amqp_auto_delete=False}):
 * otherwise RabbitMQ refuses whichever side declares second with PRECONDITION_FAILED.
 */
public final class NotificationTopology {

    private NotificationTopology() {
    }

    /**
     * @param name exchange name
     * @return a topic exchange, not durable, not auto-deleted
     */
    public static Exchange exchange(String name) {
        return Exchange.builder(name, ExchangeType.TOPIC).durable(false).autoDelete(false).build();
    }

    /**
     * @param name the queue name ({@code <topic>.<priority>}, or a pool's name)
     * @return a builder for a queue, not durable, not exclusive, not auto-deleted, to add bindings to
     */
    public static Queue.Builder queue(String name) {
        return Queue.builder(name).durable(false).exclusive(false).autoDelete(false);
    }
}
