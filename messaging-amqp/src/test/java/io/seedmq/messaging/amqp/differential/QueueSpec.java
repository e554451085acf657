package io.seedmq.messaging.amqp.differential;

import io.seedmq.messaging.Queue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The properties a queue is declared with. Every spec is one RabbitMQ 4.3 accepts by default:
 * exclusive (transient or not: RabbitMQ makes exclusive queues transient anyway), or durable with
 * {@code x-expires}, so a queue a crashed run leaves behind on the shared broker deletes itself.
 * RabbitMQ 4.3 refuses transient non-exclusive queues, so none is declared.
 *
 * @param exclusive exclusive to the declaring connection
 * @param durable the durable flag (always true when not exclusive)
 * @param autoDelete the auto-delete flag (no consumer ever comes, so only equivalence is at stake)
 * @param messageTtl {@code x-message-ttl} in milliseconds, or {@code null}
 * @param expires {@code x-expires} in milliseconds, or {@code null} (never for a non-exclusive queue)
 * @param maxLength {@code x-max-length}, or {@code null}
 * @param overflow {@code x-overflow}, or {@code null}
 * @param deadLetterExchange index of the dead-letter exchange ({@link Universe#DEFAULT_EXCHANGE},
 *     an exchange, or {@link Universe#MISSING_EXCHANGE}), or {@code null}
 * @param deadLetterRoutingKey index into {@link Universe#ROUTING_KEYS}, or {@code null}; set
 *     without a dead-letter exchange it makes an invalid declaration, on purpose
 * @param maxPriority {@code x-max-priority}, or {@code null}
 * @param quorum a quorum queue ({@code x-queue-type quorum}), declared as given so that the brokers
 *     judge it (a quorum queue with {@code x-max-priority} is refused)
 * @param deliveryLimit a quorum queue's {@code x-delivery-limit}, or {@code null}
 */
record QueueSpec(boolean exclusive, boolean durable, boolean autoDelete, Long messageTtl, Long expires,
                 Long maxLength, String overflow, Integer deadLetterExchange, Integer deadLetterRoutingKey,
                 Integer maxPriority, boolean quorum, Integer deliveryLimit) {

    /** @return the declaration of queue {@code index} with these properties */
    Queue toQueue(Universe u, int index) {
        Queue.Builder b = Queue.builder(u.queue(index)).durable(durable).exclusive(exclusive).autoDelete(autoDelete);
        if (messageTtl != null) {
            b.messageTtl(Duration.ofMillis(messageTtl));
        }
        if (expires != null) {
            b.expires(Duration.ofMillis(expires));
        }
        if (maxLength != null) {
            b.maxLength(maxLength);
        }
        if (overflow != null) {
            b.argument(Queue.X_OVERFLOW, overflow);
        }
        if (deadLetterExchange != null) {
            b.deadLetterExchange(u.exchange(deadLetterExchange));
        }
        if (deadLetterRoutingKey != null) {
            b.deadLetterRoutingKey(u.key(Universe.ROUTING_KEYS.get(deadLetterRoutingKey)));
        }
        if (maxPriority != null) {
            b.maxPriority(maxPriority);
        }
        Queue classic = b.build();
        if (!quorum) {
            return classic;
        }
        Map<String, Object> args = new LinkedHashMap<>(classic.arguments());
        args.put(Queue.X_QUEUE_TYPE, "quorum");
        if (deliveryLimit != null) {
            args.put(Queue.X_DELIVERY_LIMIT, deliveryLimit);
        }
        return new Queue(classic.name(), durable, exclusive, autoDelete, classic.bindings(), args);
    }

    @Override
    public String toString() {
        List<String> p = new ArrayList<>();
        if (quorum) {
            p.add(deliveryLimit == null ? "quorum" : "quorum delivery-limit=" + deliveryLimit);
        }
        p.add(exclusive ? "exclusive" : "shared");
        p.add(durable ? "durable" : "transient");
        if (autoDelete) {
            p.add("auto-delete");
        }
        if (messageTtl != null) {
            p.add("ttl=" + messageTtl);
        }
        if (expires != null) {
            p.add("expires=" + expires);
        }
        if (maxLength != null) {
            p.add("max-length=" + maxLength);
        }
        if (overflow != null) {
            p.add(overflow);
        }
        if (deadLetterExchange != null) {
            p.add("dlx=" + Universe.describeExchange(deadLetterExchange));
        }
        if (deadLetterRoutingKey != null) {
            p.add("dlrk='" + Universe.symbolicKey(Universe.ROUTING_KEYS.get(deadLetterRoutingKey)) + "'");
        }
        if (maxPriority != null) {
            p.add("max-priority=" + maxPriority);
        }
        return "{" + String.join(", ", p) + "}";
    }
}
