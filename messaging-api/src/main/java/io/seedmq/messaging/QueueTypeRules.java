package io.seedmq.messaging;

import java.util.List;
import java.util.Map;

/**
 * What RabbitMQ refuses, or silently ignores, for each {@link QueueType}: checked when a
 * {@link Queue.Builder} builds, so a mistake fails where it is written rather than at declaration.
 */
final class QueueTypeRules {
    private static final List<String> QUORUM_ONLY = List.of(Queue.X_DELIVERY_LIMIT, Queue.X_DEAD_LETTER_STRATEGY,
            Queue.X_QUORUM_INITIAL_GROUP_SIZE);
    private static final List<String> STREAM_ONLY = List.of(Queue.X_MAX_AGE, Queue.X_STREAM_MAX_SEGMENT_SIZE_BYTES);
    /** Refused by RabbitMQ on a quorum queue. */
    private static final List<String> NOT_ON_QUORUM = List.of(Queue.X_MAX_PRIORITY, "x-queue-mode");
    /** Refused by RabbitMQ on a stream. */
    private static final List<String> NOT_ON_STREAM = List.of(Queue.X_MESSAGE_TTL, Queue.X_MAX_PRIORITY,
            Queue.X_DEAD_LETTER_EXCHANGE, Queue.X_DEAD_LETTER_ROUTING_KEY, Queue.X_MAX_LENGTH, Queue.X_EXPIRES,
            Queue.X_SINGLE_ACTIVE_CONSUMER, Queue.X_OVERFLOW, "x-queue-mode");

    private QueueTypeRules() {
    }

    static void check(Queue q) {
        QueueType type = q.type();
        Map<String, Object> args = q.arguments();
        String what = type.amqpName() + " queue '" + q.name() + "'";
        if (type != QueueType.QUORUM) {
            only(args, QUORUM_ONLY, what, "quorum queues");
        }
        if (type != QueueType.STREAM) {
            only(args, STREAM_ONLY, what, "streams");
        }
        if (type == QueueType.CLASSIC) {
            return;
        }
        if (q.isServerNamed()) {
            fail(what, "RabbitMQ cannot declare a server-named queue of this type; give it a name");
        }
        if (q.exclusive()) {
            fail(what, "RabbitMQ refuses an exclusive one (invalid property 'exclusive-owner')");
        }
        if (!q.durable()) {
            fail(what, "RabbitMQ refuses a non-durable one (invalid property 'non-durable')");
        }
        if (q.autoDelete()) {
            fail(what, "RabbitMQ refuses an auto-delete one (invalid property 'auto-delete')");
        }
        for (String arg : type == QueueType.QUORUM ? NOT_ON_QUORUM : NOT_ON_STREAM) {
            if (args.containsKey(arg)) {
                fail(what, "RabbitMQ refuses the argument '" + arg + "' on this queue type");
            }
        }
        if ("at-least-once".equals(args.get(Queue.X_DEAD_LETTER_STRATEGY))
                && !"reject-publish".equals(args.get(Queue.X_OVERFLOW))) {
            fail(what, "RabbitMQ applies at-least-once dead-lettering only with x-overflow reject-publish"
                    + " (it falls back to at-most-once otherwise)");
        }
    }

    private static void only(Map<String, Object> args, List<String> keys, String what, String where) {
        for (String arg : keys) {
            if (args.containsKey(arg)) {
                fail(what, "'" + arg + "' applies to " + where + " only; RabbitMQ would ignore or refuse it here");
            }
        }
    }

    private static void fail(String what, String rule) {
        throw new IllegalArgumentException(what + ": " + rule);
    }
}
