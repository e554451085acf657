package io.seedmq.messaging.inmemory;

import io.seedmq.messaging.DeclarationConflictException;
import io.seedmq.messaging.Queue;
import io.seedmq.messaging.QueueType;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    /** What RabbitMQ 3.10 refuses on a quorum queue. */
    private static final List<String> NOT_ON_QUORUM = List.of(Queue.X_MAX_PRIORITY, "x-queue-mode");
    /** What RabbitMQ 3.10 refuses on a stream. */
    private static final List<String> NOT_ON_STREAM = List.of(Queue.X_MESSAGE_TTL, Queue.X_MAX_PRIORITY,
            Queue.X_DEAD_LETTER_EXCHANGE, Queue.X_DEAD_LETTER_ROUTING_KEY, Queue.X_MAX_LENGTH, Queue.X_EXPIRES,
            Queue.X_SINGLE_ACTIVE_CONSUMER, Queue.X_OVERFLOW, Queue.X_DELIVERY_LIMIT, Queue.X_DEAD_LETTER_STRATEGY,
            "x-queue-mode");
    private static final Pattern MAX_AGE = Pattern.compile("([0-9]+)([YMDhms])");

    private final Queue queue;
    private final Map<String, Object> args;
    private final QueueType type;

    /** @throws io.seedmq.messaging.DeclarationConflictException on an invalid value (RabbitMQ's PRECONDITION_FAILED) */
    QueueArguments(Queue queue) {
        this.queue = queue;
        this.args = queue.arguments();
        this.type = type(queue);
        if (type != QueueType.CLASSIC) {
            checkReplicated();
        }
        messageTtlMillis();
        expiresMillis();
        maxLength();
        maxPriority();
        overflow();
        deadLetterRoutingKey();
        deliveryLimit();
        maxLengthBytes();
        maxAgeMillis();
        segmentBytes();
        singleActiveConsumer();
        Object strategy = args.get(Queue.X_DEAD_LETTER_STRATEGY);
        if (strategy != null && !"at-most-once".equals(strategy.toString()) && !"at-least-once".equals(strategy.toString())) {
            throw Declarations.invalidArgument(Queue.X_DEAD_LETTER_STRATEGY, queue.name(), "invalid_dlx_strategy");
        }
    }

    /**
     * RabbitMQ refuses to name a quorum queue or a stream itself.
     *
     * @throws DeclarationConflictException for a server-named queue of those types
     */
    static void checkServerNamed(Queue queue) {
        QueueType t = type(queue);
        if (t != QueueType.CLASSIC) {
            throw new DeclarationConflictException("PRECONDITION_FAILED - Cannot declare a server-named queue for type "
                    + internalName(t));
        }
    }

    private static QueueType type(Queue queue) {
        Object t = queue.arguments().get(Queue.X_QUEUE_TYPE);
        try {
            return QueueType.of(t == null ? null : t.toString());
        } catch (IllegalArgumentException e) {
            throw Declarations.invalidArgument(Queue.X_QUEUE_TYPE, queue.name(), "\"unsupported queue type '" + t + "'\"");
        }
    }

    private static String internalName(QueueType t) {
        return t == QueueType.QUORUM ? "rabbit_quorum_queue" : "rabbit_stream_queue";
    }

    /** The properties, then the arguments, a quorum queue or a stream refuses, worded as RabbitMQ words them. */
    private void checkReplicated() {
        String where = "' for queue '" + queue.name() + "' in vhost '/'";
        String property = queue.exclusive() ? "exclusive-owner" : !queue.durable() ? "non-durable"
                : queue.autoDelete() ? "auto-delete" : null;
        if (property != null) {
            throw new DeclarationConflictException("PRECONDITION_FAILED - invalid property '" + property + where);
        }
        for (String arg : type == QueueType.QUORUM ? NOT_ON_QUORUM : NOT_ON_STREAM) {
            if (args.containsKey(arg)) {
                throw new DeclarationConflictException("PRECONDITION_FAILED - invalid arg '" + arg + where
                        + " of queue type " + internalName(type));
            }
        }
    }

    QueueType type() {
        return type;
    }

    /** RabbitMQ's delivery limit (since 4.0) for a quorum queue declared without {@code x-delivery-limit}. */
    static final long DEFAULT_DELIVERY_LIMIT = 20;

    /**
     * @return quorum queues: failed deliveries allowed before a message is dead-lettered, the
     *     declared {@code x-delivery-limit} or else RabbitMQ 4.x's default of 20; -1 for other types
     */
    long deliveryLimit() {
        if (type != QueueType.QUORUM) {
            return -1;
        }
        return declaresDeliveryLimit() ? number(Queue.X_DELIVERY_LIMIT, Long.MIN_VALUE) : DEFAULT_DELIVERY_LIMIT;
    }

    /** @return whether a quorum queue was declared with its own {@code x-delivery-limit} */
    boolean declaresDeliveryLimit() {
        return type == QueueType.QUORUM && number(Queue.X_DELIVERY_LIMIT, Long.MIN_VALUE) >= 0;
    }

    /** @return the most bytes of bodies kept, or -1 */
    long maxLengthBytes() {
        return number(Queue.X_MAX_LENGTH_BYTES, 0);
    }

    /** @return a stream's {@code x-max-age} in milliseconds, or -1 */
    long maxAgeMillis() {
        Object o = args.get(Queue.X_MAX_AGE);
        if (o == null) {
            return -1;
        }
        Matcher m = MAX_AGE.matcher(o.toString());
        if (!m.matches()) {
            throw Declarations.invalidArgument(Queue.X_MAX_AGE, queue.name(), "invalid_max_age");
        }
        long n = Long.parseLong(m.group(1));
        long unitSeconds = switch (m.group(2)) {
            case "Y" -> 365L * 86_400;
            case "M" -> 30L * 86_400;
            case "D" -> 86_400;
            case "h" -> 3_600;
            case "m" -> 60;
            default -> 1;
        };
        return TimeUnit.SECONDS.toMillis(n * unitSeconds);
    }

    /** @return a stream's segment size in bytes */
    long segmentBytes() {
        long b = number(Queue.X_STREAM_MAX_SEGMENT_SIZE_BYTES, 1);
        return b < 0 ? StreamLog.DEFAULT_SEGMENT_BYTES : b;
    }

    /** @return whether one consumer at a time receives the messages */
    boolean singleActiveConsumer() {
        Object o = args.get(Queue.X_SINGLE_ACTIVE_CONSUMER);
        if (o == null || o instanceof Boolean) {
            return Boolean.TRUE.equals(o);
        }
        throw Declarations.invalidArgument(Queue.X_SINGLE_ACTIVE_CONSUMER, queue.name(),
                "{unacceptable_type," + (o instanceof String ? "longstr" : "signedint") + "}");
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
