package io.seedmq.messaging.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.seedmq.messaging.Lifecycle;
import io.seedmq.messaging.oslo.OsloTopology;
import io.seedmq.messaging.serialization.JsonSerializer;
import io.seedmq.messaging.retry.RetryPolicy;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * How a {@link NotificationListener} consumes: its pool, requeue rule, threads, batching,
 * redelivery bound and stop bound. Immutable; build with {@link #builder()}.
 *
 * <pre>{@code
 * ListenerOptions options = ListenerOptions.builder()
 *         .pool("billing")                        // share the work with the other "billing" listeners
 *         .allowRequeue(true)
 *         .concurrency(4)
 *         .batch(100, Duration.ofSeconds(2))     // endpoints get lists
 *         .build();
 * }</pre>
 *
 * <p>Threads: at {@link #concurrency()} 1 (the default) notifications are handled one at a time,
 * in arrival order, on the transport's delivery thread (in batch mode on a thread of the
 * listener's own); above 1, or with an {@link #executor()}, on that executor.
 */
public final class ListenerOptions {

    /** How many times a failing notification is redelivered unless told otherwise. */
    public static final int DEFAULT_MAX_REDELIVERIES = 3;
    /** How long a batch waits to fill up unless told otherwise. */
    public static final Duration DEFAULT_BATCH_TIMEOUT = Duration.ofSeconds(1);

    private final String pool;
    private final boolean allowRequeue;
    private final int concurrency;
    private final Executor executor;
    private final int batchSize;
    private final Duration batchTimeout;
    private final int maxRedeliveries;
    private final Duration stopTimeout;
    private final ObjectMapper mapper;
    private final RetryPolicy retryPolicy;
    private final OsloTopology topology;

    private ListenerOptions(Builder b) {
        if (b.pool != null && b.pool.isEmpty()) {
            throw new IllegalArgumentException("a pool name must not be empty (use null for no pool)");
        }
        if (b.concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1: " + b.concurrency);
        }
        if (b.batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1: " + b.batchSize);
        }
        Objects.requireNonNull(b.batchTimeout, "batchTimeout");
        if (b.batchTimeout.isNegative() || b.batchTimeout.isZero()) {
            throw new IllegalArgumentException("batchTimeout must be positive: " + b.batchTimeout);
        }
        if (b.maxRedeliveries < 0) {
            throw new IllegalArgumentException("maxRedeliveries must not be negative: " + b.maxRedeliveries);
        }
        Objects.requireNonNull(b.stopTimeout, "stopTimeout");
        if (b.stopTimeout.isNegative()) {
            throw new IllegalArgumentException("stopTimeout must not be negative: " + b.stopTimeout);
        }
        pool = b.pool;
        allowRequeue = b.allowRequeue;
        concurrency = b.concurrency;
        executor = b.executor;
        batchSize = b.batchSize;
        batchTimeout = b.batchTimeout;
        maxRedeliveries = b.maxRedeliveries;
        stopTimeout = b.stopTimeout;
        mapper = Objects.requireNonNull(b.mapper, "mapper");
        retryPolicy = b.retryPolicy;
        topology = b.topology;
    }

    /**
     * @return the pool name, or {@code null}: listeners of one pool share the queue named after
     *     it, so each notification reaches one of them; every pool (and the listeners without a pool,
     *     who share the {@code <topic>.<priority>} queues) gets every notification
     */
    public String pool() {
        return pool;
    }

    /**
     * @return whether {@link NotificationResult#REQUEUE} (and a failing endpoint) requeue the
     *     message; when false (oslo's default) they are logged and the message is acknowledged
     */
    public boolean allowRequeue() {
        return allowRequeue;
    }

    /** @return how many notifications (or batches) are handled at once */
    public int concurrency() {
        return concurrency;
    }

    /** @return the executor endpoints run on, or {@code null} for the connection's or the listener's own */
    public Executor executor() {
        return executor;
    }

    /** @return above 1, endpoints get lists of up to this many notifications (batch mode) */
    public int batchSize() {
        return batchSize;
    }

    /** @return in batch mode, how long a batch waits to fill up before it is handled as it is */
    public Duration batchTimeout() {
        return batchTimeout;
    }

    /**
     * @return how many times a notification whose endpoint threw is requeued; after that it is
     *     rejected without requeue (dead-lettered if its queue has a dead-letter exchange, dropped
     *     otherwise) with an error log
     */
    public int maxRedeliveries() {
        return maxRedeliveries;
    }

    /** @return how long {@link NotificationListener#stop()} lets in-flight handlers finish */
    public Duration stopTimeout() {
        return stopTimeout;
    }

    /**
     * @return how starting is retried while the broker cannot be reached, and how a subscription lost
     *     later (its queue deleted, its node down) is restored; {@code null} (default): starting under
     *     the connection's {@link io.seedmq.messaging.ConnectionOptions#retryPolicy()}, restoring under
     *     {@link Lifecycle#DEFAULT_RESUBSCRIBE_POLICY}
     */
    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    /** @return binds payloads in {@link Notification#payload(Class)} */
    public ObjectMapper mapper() {
        return mapper;
    }

    /** @return the defaults: no pool, no requeue, one thread, no batching, 3 redeliveries, 30 s to stop */
    public static ListenerOptions defaults() {
        return builder().build();
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return whether endpoints get batches */
    public boolean batchMode() {
        return batchSize > 1;
    }

    /**
     * @return how the listener's exchanges and queues are declared: oslo's rabbit driver options
     *     ({@link OsloTopology#defaults()} unless set, which RabbitMQ 4.3 accepts;
     *     {@link OsloTopology#historical()} for oslo.messaging 14.0.3's). Python peers sharing its
     *     topics must use the same settings, or RabbitMQ refuses the second declaration
     */
    public OsloTopology topology() {
        return topology;
    }

    /** @return a builder holding these options */
    public Builder toBuilder() {
        return new Builder().pool(pool).allowRequeue(allowRequeue).concurrency(concurrency).executor(executor)
                .batch(batchSize, batchTimeout).maxRedeliveries(maxRedeliveries).stopTimeout(stopTimeout).mapper(mapper)
                .retryPolicy(retryPolicy)
                .topology(topology);
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof ListenerOptions o)) {
            return false;
        }
        return allowRequeue == o.allowRequeue && concurrency == o.concurrency && batchSize == o.batchSize
                && maxRedeliveries == o.maxRedeliveries && Objects.equals(pool, o.pool)
                && Objects.equals(executor, o.executor) && Objects.equals(batchTimeout, o.batchTimeout)
                && Objects.equals(stopTimeout, o.stopTimeout) && Objects.equals(mapper, o.mapper)
                && Objects.equals(retryPolicy, o.retryPolicy)
                && topology.equals(o.topology);
    }

    @Override
    public int hashCode() {
        return Objects.hash(allowRequeue, concurrency, batchSize, maxRedeliveries, pool, executor, batchTimeout,
                stopTimeout, mapper, retryPolicy, topology);
    }

    @Override
    public String toString() {
        return "ListenerOptions[pool=" + pool + ", allowRequeue=" + allowRequeue + ", concurrency=" + concurrency
                + ", batchSize=" + batchSize + ", maxRedeliveries=" + maxRedeliveries + ", topology=" + topology + "]";
    }

    /** Builds {@link ListenerOptions}. Not thread-safe. */
    public static final class Builder {
        private String pool;
        private boolean allowRequeue;
        private int concurrency = 1;
        private Executor executor;
        private int batchSize = 1;
        private Duration batchTimeout = DEFAULT_BATCH_TIMEOUT;
        private int maxRedeliveries = DEFAULT_MAX_REDELIVERIES;
        private Duration stopTimeout = Lifecycle.DEFAULT_STOP_TIMEOUT;
        private ObjectMapper mapper = JsonSerializer.defaultMapper();
        private RetryPolicy retryPolicy;
        private OsloTopology topology = OsloTopology.defaults();

        private Builder() {
        }

        /**
         * @param pool a pool name, or {@code null} for none
         * @return this
         */
        public Builder pool(String pool) {
            this.pool = pool;
            return this;
        }

        /**
         * @param allow whether REQUEUE results and failures requeue (default false, as oslo)
         * @return this
         */
        public Builder allowRequeue(boolean allow) {
            this.allowRequeue = allow;
            return this;
        }

        /**
         * @param notifications how many notifications (or batches) are handled at once (default 1: in arrival order)
         * @return this
         */
        public Builder concurrency(int notifications) {
            this.concurrency = notifications;
            return this;
        }

        /**
         * @param executor runs the endpoints, at most {@link #concurrency} at once; seedmq never shuts
         *     it down. {@code null} (default) for the connection's handler executor, else the
         *     delivery thread (or a pool of the listener's own above concurrency 1, or in batch mode)
         * @return this
         */
        public Builder executor(Executor executor) {
            this.executor = executor;
            return this;
        }

        /**
         * @param size up to this many notifications per endpoint call (1: no batching)
         * @param timeout how long a batch waits to fill up
         * @return this
         */
        public Builder batch(int size, Duration timeout) {
            this.batchSize = size;
            this.batchTimeout = timeout;
            return this;
        }

        /**
         * @param max how many times a notification whose endpoint threw is requeued (default 3)
         * @return this
         */
        public Builder maxRedeliveries(int max) {
            this.maxRedeliveries = max;
            return this;
        }

        /**
         * @param timeout how long stop() lets handlers finish (default 30 s)
         * @return this
         */
        public Builder stopTimeout(Duration timeout) {
            this.stopTimeout = timeout;
            return this;
        }

        /**
         * @param mapper binds payloads (default seedmq's shared mapper)
         * @return this
         */
        public Builder mapper(ObjectMapper mapper) {
            this.mapper = mapper;
            return this;
        }

        /**
         * @param policy how starting is retried, and how a lost subscription is restored (each attempt
         *     declares the queues and subscribes once); {@code null} (default) for the connection's
         *     policy to start and {@link Lifecycle#DEFAULT_RESUBSCRIBE_POLICY} to restore
         * @return this
         */
        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = policy;
            return this;
        }

        /**
         * @param topology how exchanges and queues are declared, as oslo's rabbit driver options
         *     ({@link OsloTopology#fromSettings} reads an oslo section)
         * @return this
         */
        public Builder topology(OsloTopology topology) {
            this.topology = Objects.requireNonNull(topology, "topology");
            return this;
        }

        /** @return the options */
        public ListenerOptions build() {
            return new ListenerOptions(this);
        }
    }
}
