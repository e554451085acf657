package io.seedmq.messaging.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.seedmq.messaging.serialization.JsonSerializer;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link NotificationListener} consumes: its pool, requeue rule, threads, batching,
 * redelivery bound and stop bound. Immutable; build with {@link #builder()}.
 *
 * <pre>{@code
 * ListenerOptions options = ListenerOptions.builder()
 *         .pool("billing")                        // share the work with the other "billing" listeners
 *         .allowRequeue(true)
 *         .executorSize(4)
 *         .batch(100, Duration.ofSeconds(2))     // endpoints get lists
 *         .build();
 * }</pre>
 *
 * @param pool the pool name, or {@code null}: listeners of one pool share the queue named after
 *     it, so each notification reaches one of them; every pool (and the listeners without a pool,
 *     who share the {@code <topic>.<priority>} queues) gets every notification
 * @param allowRequeue whether {@link NotificationResult#REQUEUE} (and a failing endpoint) requeue
 *     the message; when false (oslo's default) they are logged and the message is acknowledged
 * @param executorSize how many notifications (or batches) are handled at once
 * @param batchSize above 1, endpoints get lists of up to this many notifications (batch mode)
 * @param batchTimeout in batch mode, how long a batch waits to fill up before it is handled as it is
 * @param maxRedeliveries how many times a notification whose endpoint threw is requeued; after
 *     that it is rejected without requeue (dead-lettered if its queue has a dead-letter exchange,
 *     dropped otherwise) with an error log
 * @param stopTimeout how long {@link NotificationListener#stop()} lets in-flight handlers finish
 * @param mapper binds payloads in {@link Notification#payload(Class)}
 */
public record ListenerOptions(String pool, boolean allowRequeue, int executorSize, int batchSize,
                              Duration batchTimeout, int maxRedeliveries, Duration stopTimeout, ObjectMapper mapper) {

    /** How many times a failing notification is redelivered unless told otherwise. */
    public static final int DEFAULT_MAX_REDELIVERIES = 3;
    /** How long a batch waits to fill up unless told otherwise. */
    public static final Duration DEFAULT_BATCH_TIMEOUT = Duration.ofSeconds(1);
    /** How long stop() lets handlers finish unless told otherwise. */
    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(30);

    /** Validates. */
    public ListenerOptions {
        if (pool != null && pool.isEmpty()) {
            throw new IllegalArgumentException("a pool name must not be empty (use null for no pool)");
        }
        if (executorSize < 1) {
            throw new IllegalArgumentException("executorSize must be at least 1: " + executorSize);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1: " + batchSize);
        }
        Objects.requireNonNull(batchTimeout, "batchTimeout");
        if (batchTimeout.isNegative() || batchTimeout.isZero()) {
            throw new IllegalArgumentException("batchTimeout must be positive: " + batchTimeout);
        }
        if (maxRedeliveries < 0) {
            throw new IllegalArgumentException("maxRedeliveries must not be negative: " + maxRedeliveries);
        }
        Objects.requireNonNull(stopTimeout, "stopTimeout");
        Objects.requireNonNull(mapper, "mapper");
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

    /** @return a builder holding these options */
    public Builder toBuilder() {
        return new Builder().pool(pool).allowRequeue(allowRequeue).executorSize(executorSize)
                .batch(batchSize, batchTimeout).maxRedeliveries(maxRedeliveries).stopTimeout(stopTimeout).mapper(mapper);
    }

    /** Builds {@link ListenerOptions}. Not thread-safe. */
    public static final class Builder {
        private String pool;
        private boolean allowRequeue;
        private int executorSize = 1;
        private int batchSize = 1;
        private Duration batchTimeout = DEFAULT_BATCH_TIMEOUT;
        private int maxRedeliveries = DEFAULT_MAX_REDELIVERIES;
        private Duration stopTimeout = DEFAULT_STOP_TIMEOUT;
        private ObjectMapper mapper = JsonSerializer.defaultMapper();

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
         * @param threads how many notifications are handled at once (default 1: in arrival order)
         * @return this
         */
        public Builder executorSize(int threads) {
            this.executorSize = threads;
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

        /** @return the options */
        public ListenerOptions build() {
            return new ListenerOptions(pool, allowRequeue, executorSize, batchSize, batchTimeout, maxRedeliveries,
                    stopTimeout, mapper);
        }
    }
}
