package io.seedmq.messaging.inmemory;

import io.seedmq.messaging.Queue;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The {@code x-} arguments of a queue declaration, validated as RabbitMQ validates them. */
final class QueueArguments {
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
        rejectPublish();
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

    boolean rejectPublish() {
        Object o = args.get(Queue.X_OVERFLOW);
        if (o == null || o.toString().equals("drop-head")) {
            return false;
        }
        if (o.toString().startsWith("reject-publish")) {
            return true;
        }
        throw Declarations.invalidArg(Queue.X_OVERFLOW, o, queue.name());
    }

    String deadLetterExchange() {
        Object o = args.get(Queue.X_DEAD_LETTER_EXCHANGE);
        return o == null ? null : o.toString();
    }

    String deadLetterRoutingKey() {
        Object o = args.get(Queue.X_DEAD_LETTER_ROUTING_KEY);
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
