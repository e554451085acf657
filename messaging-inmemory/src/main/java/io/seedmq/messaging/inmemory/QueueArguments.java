package io.seedmq.messaging.inmemory;

import io.seedmq.messaging.Queue;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The {@code x-} arguments of a queue declaration, validated as RabbitMQ validates them. */
final class QueueArguments {
    /** What a queue at its max-length does with one more message ({@code x-overflow}). */
    enum Overflow {
        /** Take it and drop (dead-letter) the oldest: the default. */
        DROP_HEAD,
        /** Refuse it: the publisher gets a negative confirm. */
        REJECT_PUBLISH,
        /** Refuse it and dead-letter it (reason {@code maxlen}). */
        REJECT_PUBLISH_DLX
    }

    private static final long MAX_TTL = TimeUnit.DAYS.toMillis(36_500);

    private final Queue queue;
    private final Map<String, Object> args;

    /** @throws io.seedmq.messaging.DeclarationConflictException on an invalid value (RabbitMQ's PRECONDITION_FAILED) */
    QueueArguments(Queue queue) {
        this.queue = queue;
        this.args = queue.arguments();
        messageTtlMillis();
        expiresMillis();
        maxLength();
        maxPriority();
        overflow();
        deadLetterRoutingKey();
    }

    /** @return the message TTL in milliseconds, or -1 */
    long messageTtlMillis() {
        return Math.min(number(Queue.X_MESSAGE_TTL, 0), MAX_TTL);
    }

    /** @return the unused-queue expiry in milliseconds, or -1 */
    long expiresMillis() {
        return Math.min(number(Queue.X_EXPIRES, 1), MAX_TTL);
    }

    /** @return the maximum number of ready messages, or -1 */
    long maxLength() {
        return number(Queue.X_MAX_LENGTH, 0);
    }

    /** @return the highest priority honoured (capped at 255), or 0 for a queue without priorities */
    int maxPriority() {
        long p = number(Queue.X_MAX_PRIORITY, 0);
        return p < 0 ? 0 : (int) Math.min(p, 255);
    }

    Overflow overflow() {
        Object o = args.get(Queue.X_OVERFLOW);
        if (o == null) {
            return Overflow.DROP_HEAD;
        }
        return switch (o.toString()) {
            case "drop-head" -> Overflow.DROP_HEAD;
            case "reject-publish" -> Overflow.REJECT_PUBLISH;
            case "reject-publish-dlx" -> Overflow.REJECT_PUBLISH_DLX;
            default -> throw Declarations.invalidArg(Queue.X_OVERFLOW, o, queue.name());
        };
    }

    String deadLetterExchange() {
        Object o = args.get(Queue.X_DEAD_LETTER_EXCHANGE);
        return o == null ? null : o.toString();
    }

    /**
     * @throws io.seedmq.messaging.DeclarationConflictException if set without a dead-letter
     *     exchange: RabbitMQ refuses that ({@code routing_key_but_no_dlx_defined}) rather than
     *     ignore a key that would never be used
     */
    String deadLetterRoutingKey() {
        Object o = args.get(Queue.X_DEAD_LETTER_ROUTING_KEY);
        if (o != null && !args.containsKey(Queue.X_DEAD_LETTER_EXCHANGE)) {
            throw Declarations.invalidArgument(Queue.X_DEAD_LETTER_ROUTING_KEY, queue.name(),
                    "routing_key_but_no_dlx_defined");
        }
        return o == null ? null : o.toString();
    }

    private long number(String key, long min) {
        Object o = args.get(key);
        if (o == null) {
            return -1;
        }
        if (!(o instanceof Number n) || o instanceof Double || o instanceof Float || n.longValue() < min) {
            throw Declarations.invalidArg(key, o, queue.name());
        }
        return n.longValue();
    }
}
