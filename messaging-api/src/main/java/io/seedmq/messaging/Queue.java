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
 * }</pre>
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
    /** Argument: {@code classic}, {@code quorum} or {@code stream}. */
    public static final String X_QUEUE_TYPE = "x-queue-type";

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
     * @param name queue name, "" for a server-named queue
     * @return a builder with kombu's defaults (durable)
     */
    public static Builder builder(String name) {
        return new Builder(name);
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
         * @param type {@code classic}, {@code quorum} or {@code stream}
         * @return this
         */
        public Builder queueType(String type) {
            return argument(X_QUEUE_TYPE, Objects.requireNonNull(type, "type"));
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

        /** @return the queue */
        public Queue build() {
            return new Queue(name, durable, exclusive, autoDelete, bindings, arguments);
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
