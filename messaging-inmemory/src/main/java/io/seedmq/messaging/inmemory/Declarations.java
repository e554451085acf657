package io.seedmq.messaging.inmemory;

import io.seedmq.messaging.AccessRefusedException;
import io.seedmq.messaging.DeclarationConflictException;
import io.seedmq.messaging.EntityNotFoundException;
import io.seedmq.messaging.Exchange;
import io.seedmq.messaging.Queue;
import io.seedmq.messaging.QueueType;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Equivalence checks and error messages worded like RabbitMQ's, so logs read the same on both transports. */
final class Declarations {
    /** The queue arguments RabbitMQ compares on re-declaration; others are ignored, as there. */
    private static final List<String> QUEUE_ARGS = List.of(Queue.X_MESSAGE_TTL, Queue.X_EXPIRES, Queue.X_MAX_LENGTH,
            "x-max-length-bytes", Queue.X_OVERFLOW, Queue.X_DEAD_LETTER_EXCHANGE, Queue.X_DEAD_LETTER_ROUTING_KEY,
            Queue.X_MAX_PRIORITY, Queue.X_QUEUE_TYPE, "x-queue-mode", Queue.X_SINGLE_ACTIVE_CONSUMER);
    /** Compared on a quorum queue too; a classic queue ignores them. */
    private static final List<String> QUORUM_ARGS = List.of(Queue.X_DELIVERY_LIMIT, Queue.X_DEAD_LETTER_STRATEGY,
            Queue.X_QUORUM_INITIAL_GROUP_SIZE, "x-max-in-memory-length", "x-max-in-memory-bytes");
    /** Compared on a stream too. */
    private static final List<String> STREAM_ARGS = List.of(Queue.X_MAX_AGE, Queue.X_STREAM_MAX_SEGMENT_SIZE_BYTES,
            "x-initial-cluster-size");
    private static final List<String> EXCHANGE_ARGS = List.of("alternate-exchange");
    private static final String VHOST = " in vhost '/'";

    private Declarations() {
    }

    static void checkEquivalent(Queue current, Queue requested) {
        String what = "queue '" + current.name() + "'";
        compare("durable", requested.durable(), current.durable(), what);
        compare("exclusive", requested.exclusive(), current.exclusive(), what);
        compare("auto_delete", requested.autoDelete(), current.autoDelete(), what);
        compareArgs(QUEUE_ARGS, requested.arguments(), current.arguments(), what);
        QueueType type = current.type();
        if (type != QueueType.CLASSIC) {
            compareArgs(type == QueueType.QUORUM ? QUORUM_ARGS : STREAM_ARGS, requested.arguments(),
                    current.arguments(), what);
        }
    }

    static void checkEquivalent(Exchange current, Exchange requested) {
        String what = "exchange '" + current.name() + "'";
        compare("type", requested.type().amqpName(), current.type().amqpName(), what);
        compare("durable", requested.durable(), current.durable(), what);
        compare("auto_delete", requested.autoDelete(), current.autoDelete(), what);
        compareArgs(EXCHANGE_ARGS, requested.arguments(), current.arguments(), what);
    }

    private static void compareArgs(List<String> keys, Map<String, Object> requested, Map<String, Object> current,
                                    String what) {
        for (String key : keys) {
            Object r = requested.get(key);
            Object c = current.get(key);
            if (r == null ? c != null : c == null || !HeadersMatch.valueEquals(r, c)) {
                throw new DeclarationConflictException("PRECONDITION_FAILED - inequivalent arg '" + key + "' for "
                        + what + VHOST + ": received " + show(r) + " but current is " + show(c));
            }
        }
    }

    private static void compare(String arg, Object requested, Object current, String what) {
        if (!Objects.equals(requested, current)) {
            throw new DeclarationConflictException("PRECONDITION_FAILED - inequivalent arg '" + arg + "' for " + what
                    + VHOST + ": received '" + requested + "' but current is '" + current + "'");
        }
    }

    private static String show(Object value) {
        return value == null ? "none" : "'" + value + "'";
    }

    static EntityNotFoundException noQueue(String name) {
        return new EntityNotFoundException("NOT_FOUND - no queue '" + name + "'" + VHOST);
    }

    static EntityNotFoundException noExchange(String name) {
        return new EntityNotFoundException("NOT_FOUND - no exchange '" + name + "'" + VHOST);
    }

    static AccessRefusedException locked(String queue) {
        return new AccessRefusedException("RESOURCE_LOCKED - cannot obtain exclusive access to locked queue '"
                + queue + "'" + VHOST + ". It could be originally declared on another connection or the "
                + "exclusive property value does not match that of the original declaration.");
    }

    static AccessRefusedException reservedName(String kind, String name) {
        return new AccessRefusedException("ACCESS_REFUSED - " + kind + " name '" + name
                + "' contains reserved prefix 'amq.*'");
    }

    static AccessRefusedException defaultExchange(String operation) {
        return new AccessRefusedException("ACCESS_REFUSED - operation " + operation
                + " not permitted on the default exchange");
    }

    static AccessRefusedException exclusiveUse(String queue) {
        return new AccessRefusedException("ACCESS_REFUSED - queue '" + queue + "'" + VHOST + " in exclusive use");
    }

    static DeclarationConflictException invalidArg(String arg, Object value, String queue) {
        return invalidArgument(arg, queue, "'" + value + "'");
    }

    /** @param reason what RabbitMQ says is wrong, after the colon */
    static DeclarationConflictException invalidArgument(String arg, String queue, String reason) {
        return new DeclarationConflictException("PRECONDITION_FAILED - invalid arg '" + arg + "' for queue '"
                + queue + "'" + VHOST + ": " + reason);
    }
}
