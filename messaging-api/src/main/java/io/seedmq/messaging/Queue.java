package io.seedmq.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A queue, its bindings and its arguments: an immutable value. Declaring it declares the queue,
 * then each binding's exchange, then the binding. An empty name asks the broker to choose one
 * ({@code amq.gen-...}, see {@link #serverNamed()}); the declared name is in {@link QueueInfo}.
 *
 * <p>The typed builder methods set RabbitMQ's standard {@code x-} arguments, so what is declared
 * is exactly what RabbitMQ sees:
 * <pre>{@code
 * Queue tasks = Queue.builder("task_queue")
 *         .durable(true)
 *         .messageTtl(Duration.ofMinutes(5))
 *         .deadLetterExchange("dlx").deadLetterRoutingKey("task_queue.dead")
 *         .maxLength(10_000)
 *         .build();
 * Queue mine = Queue.serverNamed().bind(Binding.to(Exchange.fanout("logs")));
 * Queue orders = Queue.quorum("orders").deliveryLimit(5).deadLetterExchange("dlx").build();
 * Queue audit = Queue.stream("audit").maxAge(Duration.ofDays(7)).build();
 * }</pre>
 *
 * <p>{@link Builder#build()} refuses, with an {@link IllegalArgumentException} that names
 * RabbitMQ's rule, what RabbitMQ would refuse for the queue's {@link QueueType}: a quorum queue or
 * a stream is durable, not exclusive, not auto-delete, not server-named, and takes only the
 * arguments of its type. A queue made with the canonical constructor is not checked: the broker
 * answers it ({@link DeclarationConflictException}, on both transports).
 *
 * @param name the queue name, or "" for a server-named queue
 * @param durable whether it survives a broker restart
 * @param exclusive whether only the declaring connection may use it; it is deleted when that connection closes
 * @param autoDelete whether it is deleted when its last consumer is cancelled
 * @param bindings the bindings declared with the queue
 * @param arguments declaration arguments ({@code x-message-ttl}, {@code x-dead-letter-exchange}, ...)
 */
public record Queue(String name, boolean durable, boolean exclusive, boolean autoDelete,
                    List<Binding> bindings, Map<String, Object> arguments) {

    /** Argument: per-queue message time-to-live in milliseconds. */
    public static final String X_MESSAGE_TTL = "x-message-ttl";
    /** Argument: the queue is deleted after this many milliseconds unused. */
    public static final String X_EXPIRES = "x-expires";
    /** Argument: the maximum number of ready messages. */
    public static final String X_MAX_LENGTH = "x-max-length";
    /** Argument: what happens when max-length is reached: {@code drop-head} (default) or {@code reject-publish}. */
    public static final String X_OVERFLOW = "x-overflow";
    /** Argument: where rejected, expired or overflowing messages are republished. */
    public static final String X_DEAD_LETTER_EXCHANGE = "x-dead-letter-exchange";
    /** Argument: the routing key dead-lettered messages get (default: their own). */
    public static final String X_DEAD_LETTER_ROUTING_KEY = "x-dead-letter-routing-key";
    /** Argument: the highest message priority the queue honours (1 to 255). */
    public static final String X_MAX_PRIORITY = "x-max-priority";
    /** Argument: {@code classic}, {@code quorum} or {@code stream} (see {@link QueueType}). */
    public static final String X_QUEUE_TYPE = "x-queue-type";
    /** Argument: only one consumer at a time receives messages; the next takes over when it goes. */
    public static final String X_SINGLE_ACTIVE_CONSUMER = "x-single-active-consumer";
    /** Argument (quorum): how many times a message is returned to the queue before it is dead-lettered. */
    public static final String X_DELIVERY_LIMIT = "x-delivery-limit";
    /** Argument (quorum): {@code at-most-once} (default) or {@code at-least-once} dead-lettering. */
    public static final String X_DEAD_LETTER_STRATEGY = "x-dead-letter-strategy";
    /** Argument (quorum): how many nodes the queue is replicated on when declared. */
    public static final String X_QUORUM_INITIAL_GROUP_SIZE = "x-quorum-initial-group-size";
    /** Argument: the most bytes of message bodies the queue (or stream) keeps. */
    public static final String X_MAX_LENGTH_BYTES = "x-max-length-bytes";
    /** Argument (stream): how long messages are kept, in RabbitMQ's units ({@code 7D}, {@code 3600s}). */
    public static final String X_MAX_AGE = "x-max-age";
    /** Argument (stream): the size of the segment files retention removes whole. */
    public static final String X_STREAM_MAX_SEGMENT_SIZE_BYTES = "x-stream-max-segment-size-bytes";

    /** Validates and copies the bindings and arguments. */
    public Queue {
        Objects.requireNonNull(name, "name");
        if (name.length() > 255) {
            throw new IllegalArgumentException("queue name longer than 255 characters");
        }
        bindings = List.copyOf(bindings == null ? List.of() : bindings);
        arguments = Map.copyOf(arguments == null ? Map.of() : arguments);
    }

    /**
     * @param name queue name
     * @return a durable, non-exclusive, non-auto-delete queue with no bindings (kombu's defaults)
     */
    public static Queue named(String name) {
        return builder(name).build();
    }

    /**
     * @return a server-named, exclusive, auto-delete, non-durable queue: the temporary queue of
     *     the publish/subscribe pattern, gone when its connection closes
     */
    public static Queue serverNamed() {
        return builder("").durable(false).exclusive(true).autoDelete(true).build();
    }

    /**
     * @param name queue name
     * @return a builder of a quorum queue: durable, replicated, with delivery counting
     *     ({@link Builder#deliveryLimit}, {@link Builder#atLeastOnceDeadLettering})
     */
    public static Builder quorum(String name) {
        return new Builder(name).type(QueueType.QUORUM);
    }

    /**
     * @param name queue name
     * @return a builder of a stream: an append-only log consumed from an offset
     *     ({@link ConsumerOptions.Builder#streamOffset}), retained by {@link Builder#maxAge} and
     *     {@link Builder#maxLengthBytes}
     */
    public static Builder stream(String name) {
        return new Builder(name).type(QueueType.STREAM);
    }

    /**
     * @param name queue name, "" for a server-named queue
     * @return a builder with kombu's defaults (durable)
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * @return the type {@code x-queue-type} names, {@link QueueType#CLASSIC} when absent
     * @throws IllegalArgumentException if it names a type RabbitMQ does not know
     */
    public QueueType type() {
        Object t = arguments.get(X_QUEUE_TYPE);
        return QueueType.of(t == null ? null : t.toString());
    }

    /** @return whether the broker chooses this queue's name */
    public boolean isServerNamed() {
        return name.isEmpty();
    }

    /**
     * @param binding a binding to add
     * @return a copy of this queue with the binding added
     */
    public Queue bind(Binding binding) {
        List<Binding> more = new ArrayList<>(bindings);
        more.add(binding);
        return new Queue(name, durable, exclusive, autoDelete, more, arguments);
    }

    /**
     * @param name a concrete name, typically the one the broker chose
     * @return a copy of this queue with that name
     */
    public Queue withName(String name) {
        return new Queue(name, durable, exclusive, autoDelete, bindings, arguments);
    }

    /** @return a builder holding this queue's properties, to derive a variant */
    public Builder toBuilder() {
        Builder b = new Builder(name).durable(durable).exclusive(exclusive).autoDelete(autoDelete);
        b.bindings.addAll(bindings);
        b.arguments.putAll(arguments);
        return b;
    }

    /** Builds a {@link Queue}. Not thread-safe; the built value is. */
    public static final class Builder {
        private final String name;
        private boolean durable = true;
        private boolean exclusive;
        private boolean autoDelete;
        private final List<Binding> bindings = new ArrayList<>();
        private final Map<String, Object> arguments = new LinkedHashMap<>();

        private Builder(String name) {
            this.name = name;
        }

        /**
         * @param durable survives a broker restart (default true)
         * @return this
         */
        public Builder durable(boolean durable) {
            this.durable = durable;
            return this;
        }

        /**
         * @param exclusive only this connection may use it; deleted with the connection (default false)
         * @return this
         */
        public Builder exclusive(boolean exclusive) {
            this.exclusive = exclusive;
            return this;
        }

        /**
         * @param autoDelete deleted when its last consumer goes (default false)
         * @return this
         */
        public Builder autoDelete(boolean autoDelete) {
            this.autoDelete = autoDelete;
            return this;
        }

        /**
         * @param binding a binding to declare with the queue
         * @return this
         */
        public Builder bind(Binding binding) {
            bindings.add(Objects.requireNonNull(binding, "binding"));
            return this;
        }

        /**
         * @param exchange exchange to bind to
         * @param routingKey binding key
         * @return this
         */
        public Builder bind(Exchange exchange, String routingKey) {
            return bind(Binding.to(exchange, routingKey));
        }

        /**
         * @param ttl how long a message may wait in the queue before it expires
         * @return this
         */
        public Builder messageTtl(Duration ttl) {
            return argument(X_MESSAGE_TTL, millis(ttl, "message TTL"));
        }

        /**
         * @param expires how long the queue may stay unused before the broker deletes it
         * @return this
         */
        public Builder expires(Duration expires) {
            long ms = millis(expires, "queue expiry");
            if (ms == 0) {
                throw new IllegalArgumentException("queue expiry must be positive");
            }
            return argument(X_EXPIRES, ms);
        }

        /**
         * @param maxLength the most ready messages; the oldest are dropped (or dead-lettered) past it
         * @return this
         */
        public Builder maxLength(long maxLength) {
            if (maxLength < 0) {
                throw new IllegalArgumentException("max length must not be negative: " + maxLength);
            }
            return argument(X_MAX_LENGTH, maxLength);
        }

        /**
         * @param rejectPublish refuse new publishes when full instead of dropping the oldest
         * @return this
         */
        public Builder overflowRejectPublish(boolean rejectPublish) {
            return argument(X_OVERFLOW, rejectPublish ? "reject-publish" : "drop-head");
        }

        /**
         * @param exchange where rejected, expired and overflowing messages are republished
         * @return this
         */
        public Builder deadLetterExchange(String exchange) {
            return argument(X_DEAD_LETTER_EXCHANGE, Objects.requireNonNull(exchange, "exchange"));
        }

        /**
         * @param routingKey the routing key given to dead-lettered messages
         * @return this
         */
        public Builder deadLetterRoutingKey(String routingKey) {
            return argument(X_DEAD_LETTER_ROUTING_KEY, Objects.requireNonNull(routingKey, "routingKey"));
        }

        /**
         * @param maxPriority highest message priority honoured, 1 to 255
         * @return this
         */
        public Builder maxPriority(int maxPriority) {
            if (maxPriority < 1 || maxPriority > 255) {
                throw new IllegalArgumentException("max priority must be between 1 and 255: " + maxPriority);
            }
            return argument(X_MAX_PRIORITY, maxPriority);
        }

        /**
         * @param type the queue type; {@link Queue#quorum} and {@link Queue#stream} set it for you
         * @return this
         */
        public Builder type(QueueType type) {
            return argument(X_QUEUE_TYPE, Objects.requireNonNull(type, "type").amqpName());
        }

        /**
         * @param single only one consumer at a time receives the queue's messages, in order; when
         *     it goes (cancelled, connection lost) the next consumer takes over. Classic and quorum
         *     queues; RabbitMQ refuses it on a stream over AMQP 0-9-1
         * @return this
         */
        public Builder singleActiveConsumer(boolean single) {
            return argument(X_SINGLE_ACTIVE_CONSUMER, single);
        }

        /**
         * Quorum queues only. A message counted back more than {@code limit} times is
         * dead-lettered with reason {@code delivery_limit} (dropped without a dead-letter
         * exchange). RabbitMQ 3.x counts every return (requeued, or its consumer or connection
         * gone): {@code limit + 1} deliveries at most. RabbitMQ 4.3 counts failed deliveries only
         * ({@code basic.reject}, a closed channel), not a {@code basic.nack}; without this
         * argument 4.x applies a limit of 20. Each delivery carries the count so far
         * ({@link Message#deliveryCount()}).
         *
         * @param limit returns allowed, 0 or more
         * @return this
         */
        public Builder deliveryLimit(int limit) {
            if (limit < 0) {
                throw new IllegalArgumentException("delivery limit must not be negative: " + limit);
            }
            return argument(X_DELIVERY_LIMIT, limit);
        }

        /**
         * Quorum queues only: dead-letter at least once ({@code x-dead-letter-strategy
         * at-least-once}): the queue keeps a dead-lettered message until the dead-letter queue
         * confirmed it. RabbitMQ applies it only with {@code x-overflow reject-publish}, so this
         * sets that too; a dead-letter exchange is still needed ({@link #deadLetterExchange}).
         *
         * @return this
         */
        public Builder atLeastOnceDeadLettering() {
            argument(X_DEAD_LETTER_STRATEGY, "at-least-once");
            return overflowRejectPublish(true);
        }

        /**
         * @param nodes quorum queues only: how many cluster nodes the queue is first replicated on
         * @return this
         */
        public Builder initialGroupSize(int nodes) {
            if (nodes < 1) {
                throw new IllegalArgumentException("initial group size must be at least 1: " + nodes);
            }
            return argument(X_QUORUM_INITIAL_GROUP_SIZE, nodes);
        }

        /**
         * @param bytes the most bytes of bodies kept; past it a stream drops its oldest segments
         *     (whole segments, so it keeps a little more on RabbitMQ), a classic or quorum queue
         *     its head (or refuses, see {@link #overflowRejectPublish})
         * @return this
         */
        public Builder maxLengthBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("max length bytes must not be negative: " + bytes);
            }
            return argument(X_MAX_LENGTH_BYTES, bytes);
        }

        /**
         * @param age streams only: how long messages are kept, in whole seconds at least; sent as
         *     RabbitMQ spells it ({@code 7D}, {@code 2h}, {@code 3600s}, the largest exact unit)
         * @return this
         */
        public Builder maxAge(Duration age) {
            Objects.requireNonNull(age, "age");
            long s = age.getSeconds();
            if (s < 1 || age.getNano() != 0) {
                throw new IllegalArgumentException("max age must be a positive number of seconds: " + age);
            }
            String spelled = s % 86_400 == 0 ? s / 86_400 + "D" : s % 3_600 == 0 ? s / 3_600 + "h"
                    : s % 60 == 0 ? s / 60 + "m" : s + "s";
            return argument(X_MAX_AGE, spelled);
        }

        /**
         * @param bytes streams only: the size of a segment file (RabbitMQ's default 500 MB);
         *     retention removes whole segments
         * @return this
         */
        public Builder streamMaxSegmentSizeBytes(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("segment size must be positive: " + bytes);
            }
            return argument(X_STREAM_MAX_SEGMENT_SIZE_BYTES, bytes);
        }

        /**
         * @param key argument name
         * @param value argument value
         * @return this
         */
        public Builder argument(String key, Object value) {
            arguments.put(key, value);
            return this;
        }

        /**
         * @return the queue
         * @throws IllegalArgumentException if RabbitMQ would refuse it for its type (see the class comment)
         */
        public Queue build() {
            Queue q = new Queue(name, durable, exclusive, autoDelete, bindings, arguments);
            QueueTypeRules.check(q);
            return q;
        }

        private static long millis(Duration d, String what) {
            Objects.requireNonNull(d, what);
            if (d.isNegative()) {
                throw new IllegalArgumentException(what + " must not be negative: " + d);
            }
            return d.toMillis();
        }
    }
}
