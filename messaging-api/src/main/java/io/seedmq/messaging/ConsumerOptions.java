package io.seedmq.messaging;

import io.seedmq.messaging.retry.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * What a {@link Consumer} consumes and how. Immutable; build with {@link #builder()}.
 *
 * <pre>{@code
 * ConsumerOptions options = ConsumerOptions.builder()
 *         .queue(Queue.named("task_queue"))
 *         .prefetch(1)                         // fair dispatch
 *         .accept("json")                      // refuse anything else
 *         .build();
 * }</pre>
 *
 * <p><b>Threads.</b> At {@link #concurrency()} 1 (the default) each queue's messages reach the
 * handler one at a time, in delivery order, on the transport's delivery thread: no hand-off.
 * Above 1, or with an {@link #executor()} (the consumer's own or the connection's
 * {@link ConnectionOptions#handlerExecutor()}), handlers run there, at most {@code concurrency} at
 * once across the consumer's queues, taken in delivery order.
 */
public final class ConsumerOptions {

    private final List<Queue> queues;
    private final int prefetch;
    private final AckMode ackMode;
    private final Set<String> accept;
    private final boolean exclusive;
    private final boolean declare;
    private final DecodeErrorHandler decodeErrorHandler;
    private final BrokerCancelHandler cancelHandler;
    private final RetryPolicy handlerRetry;
    private final long maxBodySize;
    private final boolean deadLetterWithCause;
    private final int concurrency;
    private final Executor executor;
    private final Duration stopTimeout;
    private final RetryPolicy retryPolicy;
    private final Map<String, Object> arguments;

    private ConsumerOptions(Builder b) {
        queues = List.copyOf(b.queues);
        if (queues.isEmpty()) {
            throw new IllegalArgumentException("a consumer needs at least one queue");
        }
        if (b.prefetch < 0 || b.prefetch > 65535) {
            throw new IllegalArgumentException("prefetch must be between 0 and 65535: " + b.prefetch);
        }
        prefetch = b.prefetch;
        ackMode = Objects.requireNonNull(b.ackMode, "ackMode");
        accept = Set.copyOf(b.accept);
        exclusive = b.exclusive;
        declare = b.declare;
        decodeErrorHandler = Objects.requireNonNull(b.decodeErrorHandler, "decodeErrorHandler");
        cancelHandler = Objects.requireNonNull(b.cancelHandler, "cancelHandler");
        handlerRetry = Objects.requireNonNull(b.handlerRetry, "handlerRetry");
        if (handlerRetry.isForever()) {
            throw new IllegalArgumentException("a handler is retried a bounded number of times, not forever:"
                    + " a message that always fails must end in the dead-letter exchange");
        }
        if (b.maxBodySize < 0) {
            throw new IllegalArgumentException("maxBodySize must not be negative: " + b.maxBodySize);
        }
        maxBodySize = b.maxBodySize;
        deadLetterWithCause = b.deadLetterWithCause;
        if (b.concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1: " + b.concurrency);
        }
        concurrency = b.concurrency;
        executor = b.executor;
        stopTimeout = positiveOrZero(b.stopTimeout, "stopTimeout");
        retryPolicy = b.retryPolicy;
        arguments = Map.copyOf(b.arguments);
        boolean stream = arguments.containsKey(X_STREAM_OFFSET) || queues.stream()
                .anyMatch(q -> QueueType.STREAM.amqpName().equals(q.arguments().get(Queue.X_QUEUE_TYPE)));
        if (stream && (ackMode != AckMode.MANUAL || prefetch == 0)) {
            throw new IllegalArgumentException("a stream is consumed with manual acknowledgement and a prefetch"
                    + " above 0 (RabbitMQ refuses it otherwise: consumer prefetch count is not set)");
        }
    }

    /** Consumer argument: the consumer's priority (see {@link Builder#priority}). */
    public static final String X_PRIORITY = "x-priority";
    /** Consumer argument: where a stream consumer starts reading (see {@link StreamOffset}). */
    public static final String X_STREAM_OFFSET = "x-stream-offset";

    static Duration positiveOrZero(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative: " + d);
        }
        return d;
    }

    /** @return the queues, declared (with their bindings) when the consumer starts unless {@link #declare()} is false */
    public List<Queue> queues() {
        return queues;
    }

    /** @return most unacknowledged messages held at once per queue; 0 for no limit */
    public int prefetch() {
        return prefetch;
    }

    /** @return manual (default) or automatic acknowledgement */
    public AckMode ackMode() {
        return ackMode;
    }

    /**
     * @return content types (or serializer names) allowed; empty means every content type a
     *     serializer reads, plus messages without a content type
     */
    public Set<String> accept() {
        return accept;
    }

    /** @return whether this must be each queue's only consumer */
    public boolean exclusive() {
        return exclusive;
    }

    /** @return whether the queues are declared on start (kombu's auto_declare) */
    public boolean declare() {
        return declare;
    }

    /** @return hears about refused messages */
    public DecodeErrorHandler decodeErrorHandler() {
        return decodeErrorHandler;
    }

    /** @return hears when the broker cancels the consumer (its queue was deleted) */
    public BrokerCancelHandler cancelHandler() {
        return cancelHandler;
    }

    /** @return how often a failing handler runs again on the same message (see {@link Builder#handlerRetry}) */
    public RetryPolicy handlerRetry() {
        return handlerRetry;
    }

    /** @return the largest body in bytes a handler sees; 0 for no limit */
    public long maxBodySize() {
        return maxBodySize;
    }

    /** @return whether a message that failed for good is republished with its cause (see {@link Builder#deadLetterWithCause}) */
    public boolean deadLetterWithCause() {
        return deadLetterWithCause;
    }

    /** @return most handlers running at once (see the class comment) */
    public int concurrency() {
        return concurrency;
    }

    /** @return the executor handlers run on, or {@code null} for the connection's or the consumer's own */
    public Executor executor() {
        return executor;
    }

    /** @return how long {@link Consumer#stop()} lets running handlers finish */
    public Duration stopTimeout() {
        return stopTimeout;
    }

    /**
     * @return how starting (declaring the queues and subscribing) is retried, and how a subscription
     *     lost later (its queue deleted, its node down, its recovery failed) is restored; {@code null}:
     *     starting under the connection's policy, restoring under {@link Lifecycle#DEFAULT_RESUBSCRIBE_POLICY}
     */
    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    /** @return the consumer arguments sent with each subscription ({@code x-priority}, {@code x-stream-offset}, ...) */
    public Map<String, Object> arguments() {
        return arguments;
    }

    /** @return a builder: manual acknowledgement, no prefetch limit, every known content type */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param queue a queue name, declared durable as kombu does
     * @return options consuming that queue with the defaults
     */
    public static ConsumerOptions of(String queue) {
        return builder().queue(Queue.named(queue)).build();
    }

    /** @return a builder holding these options */
    public Builder toBuilder() {
        Builder b = new Builder().prefetch(prefetch).ackMode(ackMode).exclusive(exclusive).declare(declare)
                .onDecodeError(decodeErrorHandler).onCancelledByBroker(cancelHandler).handlerRetry(handlerRetry)
                .maxBodySize(maxBodySize).deadLetterWithCause(deadLetterWithCause).concurrency(concurrency)
                .executor(executor).stopTimeout(stopTimeout).retryPolicy(retryPolicy);
        b.queues.addAll(queues);
        b.accept.addAll(accept);
        b.arguments.putAll(arguments);
        return b;
    }

    /** Builds {@link ConsumerOptions}. Not thread-safe. */
    public static final class Builder {
        private final List<Queue> queues = new ArrayList<>();
        private int prefetch;
        private AckMode ackMode = AckMode.MANUAL;
        private final Set<String> accept = new LinkedHashSet<>();
        private boolean exclusive;
        private boolean declare = true;
        private DecodeErrorHandler decodeErrorHandler = DefaultHandlers.INSTANCE;
        private BrokerCancelHandler cancelHandler = DefaultHandlers.INSTANCE;
        private RetryPolicy handlerRetry = RetryPolicy.none();
        private long maxBodySize;
        private boolean deadLetterWithCause;
        private int concurrency = 1;
        private Executor executor;
        private Duration stopTimeout = Lifecycle.DEFAULT_STOP_TIMEOUT;
        private RetryPolicy retryPolicy;
        private final Map<String, Object> arguments = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Consumer priority ({@code x-priority}): while a consumer of higher priority has room in
         * its prefetch, the queue delivers to it; lower ones get messages only when all higher ones
         * are full (or blocked). Consumers of equal priority share round-robin. Default 0; negative
         * values are allowed, as in RabbitMQ.
         *
         * @param priority the priority
         * @return this
         */
        public Builder priority(int priority) {
            return argument(X_PRIORITY, priority);
        }

        /**
         * Reads a stream from an offset ({@code x-stream-offset}); without it RabbitMQ starts at
         * {@link StreamOffset#next()}. A stream needs manual acknowledgement and a prefetch above 0:
         * {@link #build()} refuses anything else.
         *
         * @param offset where to start
         * @return this
         */
        public Builder streamOffset(StreamOffset offset) {
            return argument(X_STREAM_OFFSET, Objects.requireNonNull(offset, "offset").argumentValue());
        }

        /**
         * @param key a consumer argument the broker understands (as {@code basic.consume} arguments)
         * @param value its value: a string, number, boolean, {@link java.time.Instant}, list or map
         * @return this
         */
        public Builder argument(String key, Object value) {
            arguments.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * @param policy how {@link Consumer#start()} is retried while the broker cannot be reached:
         *     each attempt declares the queues and subscribes once, so this policy alone bounds the
         *     start. Also how a subscription lost later is restored: the consumer declares (when it
         *     declares) and subscribes again under this policy, and is {@code FAILED} when it gives up.
         *     {@code null} (default) for the connection's {@link ConnectionOptions#retryPolicy()} to
         *     start, and {@link Lifecycle#DEFAULT_RESUBSCRIBE_POLICY} to restore
         * @return this
         */
        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = policy;
            return this;
        }

        /**
         * @param handlers most handlers running at once; above 1 they run on an executor (see the
         *     class comment). Default 1.
         * @return this
         */
        public Builder concurrency(int handlers) {
            this.concurrency = handlers;
            return this;
        }

        /**
         * @param executor runs the handlers (at most {@link #concurrency} at once); seedmq never shuts
         *     it down. {@code null} (default) for the connection's handler executor, or else the
         *     delivery thread at concurrency 1 and a pool of the consumer's own above it
         * @return this
         */
        public Builder executor(Executor executor) {
            this.executor = executor;
            return this;
        }

        /**
         * @param timeout how long {@link Consumer#stop()} lets running handlers finish (default 30 s)
         * @return this
         */
        public Builder stopTimeout(Duration timeout) {
            this.stopTimeout = timeout;
            return this;
        }

        /**
         * Consumer-side redelivery, in process: when the handler throws (anything but
         * {@link DecodeException} or {@link ContentDisallowedException}, which are never retried) and
         * has not settled the message, the handler runs again on the same message after the policy's
         * back-off, on the same delivery thread, up to {@link RetryPolicy#maxAttempts()} runs in all
         * (the policy's failure classification is not used: every handler failure counts). Then the
         * message is rejected without requeue, so the queue's dead-letter exchange takes it (see
         * {@link #deadLetterWithCause} to carry the cause along). Never requeued, so there is no
         * endless redelivery loop; a consumer being stopped requeues instead of retrying further. While a message is retried the consumer's other
         * deliveries wait, so order is kept per consumer. Default {@link RetryPolicy#none()}: one run.
         *
         * @param policy a bounded policy (not {@link RetryPolicy#forever()})
         * @return this
         */
        public Builder handlerRetry(RetryPolicy policy) {
            this.handlerRetry = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * How a message that failed for good (handler retries exhausted, undecodable, disallowed,
         * too large) reaches the dead-letter exchange.
         *
         * <p>{@code false} (default): rejected without requeue; the broker dead-letters it atomically
         * with its {@code x-death} header (reason {@code rejected}), but the cause stays in the log.
         *
         * <p>{@code true}: when the queue was declared with a dead-letter exchange
         * ({@link Queue.Builder#deadLetterExchange}), a copy carrying the original headers plus
         * {@code x-exception-class}, {@code x-exception-message} (at most 1,000 characters),
         * {@code x-original-exchange}, {@code x-original-routing-key} and {@code x-original-queue}
         * is published there (to the dead-letter routing key, or the original one), the publish
         * confirmed, and only then the original acked. At-least-once: a crash between the two leaves
         * the original to be redelivered and a copy in the dead-letter queue. If the copy cannot be
         * published, or the queue has no dead-letter exchange in its declaration, the message is
         * rejected as with {@code false}.
         *
         * @param withCause republish with the cause in headers
         * @return this
         */
        public Builder deadLetterWithCause(boolean withCause) {
            this.deadLetterWithCause = withCause;
            return this;
        }

        /**
         * @param bytes the largest body a handler sees; a larger message is refused (dead-lettered
         *     like an undecodable one, with one log line) before any decoding; 0 for no limit (default)
         * @return this
         */
        public Builder maxBodySize(long bytes) {
            this.maxBodySize = bytes;
            return this;
        }

        /**
         * @param queue a queue to consume
         * @return this
         */
        public Builder queue(Queue queue) {
            queues.add(Objects.requireNonNull(queue, "queue"));
            return this;
        }

        /**
         * @param name a queue to consume, declared durable
         * @return this
         */
        public Builder queue(String name) {
            return queue(Queue.named(name));
        }

        /**
         * @param prefetch most unacknowledged messages at once, 0 for no limit
         * @return this
         */
        public Builder prefetch(int prefetch) {
            this.prefetch = prefetch;
            return this;
        }

        /**
         * @param mode manual or automatic acknowledgement
         * @return this
         */
        public Builder ackMode(AckMode mode) {
            this.ackMode = mode;
            return this;
        }

        /**
         * @param contentTypesOrNames allowed content types or serializer names
         * @return this
         */
        public Builder accept(String... contentTypesOrNames) {
            accept.addAll(List.of(contentTypesOrNames));
            return this;
        }

        /**
         * @param exclusive be each queue's only consumer
         * @return this
         */
        public Builder exclusive(boolean exclusive) {
            this.exclusive = exclusive;
            return this;
        }

        /**
         * @param declare declare the queues on start (default true)
         * @return this
         */
        public Builder declare(boolean declare) {
            this.declare = declare;
            return this;
        }

        /**
         * @param handler hears about refused messages
         * @return this
         */
        public Builder onDecodeError(DecodeErrorHandler handler) {
            this.decodeErrorHandler = handler;
            return this;
        }

        /**
         * @param handler hears when the broker cancels the consumer
         * @return this
         */
        public Builder onCancelledByBroker(BrokerCancelHandler handler) {
            this.cancelHandler = handler;
            return this;
        }

        /** @return the options */
        public ConsumerOptions build() {
            return new ConsumerOptions(this);
        }
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof ConsumerOptions o)) {
            return false;
        }
        return prefetch == o.prefetch && exclusive == o.exclusive && declare == o.declare
                && maxBodySize == o.maxBodySize && deadLetterWithCause == o.deadLetterWithCause
                && concurrency == o.concurrency && Objects.equals(queues, o.queues)
                && Objects.equals(ackMode, o.ackMode) && Objects.equals(accept, o.accept)
                && Objects.equals(decodeErrorHandler, o.decodeErrorHandler)
                && Objects.equals(cancelHandler, o.cancelHandler)
                && Objects.equals(handlerRetry, o.handlerRetry) && Objects.equals(executor, o.executor)
                && Objects.equals(stopTimeout, o.stopTimeout) && Objects.equals(retryPolicy, o.retryPolicy)
                && arguments.equals(o.arguments);
    }

    @Override
    public int hashCode() {
        return Objects.hash(prefetch, exclusive, declare, maxBodySize, deadLetterWithCause, concurrency, queues,
                ackMode, accept, decodeErrorHandler, cancelHandler, handlerRetry, executor, stopTimeout,
                retryPolicy, arguments);
    }

    @Override
    public String toString() {
        return "ConsumerOptions[queues=" + queues.stream().map(Queue::name).toList() + ", prefetch=" + prefetch
                + ", ackMode=" + ackMode + ", concurrency=" + concurrency + "]";
    }

    /** Logs refused messages and broker cancellations; the default handlers. */
    private enum DefaultHandlers implements DecodeErrorHandler, BrokerCancelHandler {
        INSTANCE;

        private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Consumer.class);

        @Override
        public void onDecodeError(Message message, MessagingException error) {
            LOG.warn("rejected {} without requeue: {}", message, error.getMessage());
        }

        @Override
        public void onCancelledByBroker(String queue) {
            // The consumer itself logs the loss, with its cause, and subscribes again.
            LOG.debug("subscription to queue '{}' lost", queue);
        }
    }
}
