package io.seedmq.messaging.rpc;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * How an {@link RpcServer} runs. Immutable; build with {@link #builder()}.
 *
 * @param workers how many requests run at once (default {@value #DEFAULT_WORKERS}); the server
 *     prefetches twice as many
 * @param ack when requests are acknowledged (default {@link RequestAck#ON_RECEIPT}, as oslo)
 * @param accessPolicy which methods are callable (default {@link AccessPolicy#PUBLIC_METHODS})
 * @param expectedExceptions exceptions any endpoint may throw as part of its contract: sent back,
 *     not logged as errors
 * @param stopTimeout how long {@link RpcServer#stop()} lets running requests finish (default 30 s)
 * @param controlExchange the exchange used when the target names none (default {@code openstack})
 */
public record RpcServerOptions(int workers, RequestAck ack, AccessPolicy accessPolicy,
                               Set<Class<? extends Throwable>> expectedExceptions, Duration stopTimeout,
                               String controlExchange) {

    /** The default number of workers. */
    public static final int DEFAULT_WORKERS = 8;

    /** Validates and copies. */
    public RpcServerOptions {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1: " + workers);
        }
        Objects.requireNonNull(ack, "ack");
        Objects.requireNonNull(accessPolicy, "accessPolicy");
        expectedExceptions = Set.copyOf(expectedExceptions);
        Objects.requireNonNull(stopTimeout, "stopTimeout");
        Objects.requireNonNull(controlExchange, "controlExchange");
    }

    /** @return the defaults */
    public static RpcServerOptions defaults() {
        return builder().build();
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link RpcServerOptions}. Not thread-safe. */
    public static final class Builder {
        private int workers = DEFAULT_WORKERS;
        private RequestAck ack = RequestAck.ON_RECEIPT;
        private AccessPolicy accessPolicy = AccessPolicy.PUBLIC_METHODS;
        private final Set<Class<? extends Throwable>> expected = new LinkedHashSet<>();
        private Duration stopTimeout = Duration.ofSeconds(30);
        private String controlExchange = Target.DEFAULT_EXCHANGE;

        private Builder() {
        }

        /**
         * @param workers how many requests run at once
         * @return this builder
         */
        public Builder workers(int workers) {
            this.workers = workers;
            return this;
        }

        /**
         * @param ack when requests are acknowledged
         * @return this builder
         */
        public Builder ack(RequestAck ack) {
            this.ack = ack;
            return this;
        }

        /**
         * @param policy which methods are callable
         * @return this builder
         */
        public Builder accessPolicy(AccessPolicy policy) {
            this.accessPolicy = policy;
            return this;
        }

        /**
         * @param types exceptions that are part of the endpoints' contract
         * @return this builder
         */
        @SafeVarargs
        public final Builder expectedExceptions(Class<? extends Throwable>... types) {
            expected.addAll(Set.of(types));
            return this;
        }

        /**
         * @param timeout how long stop lets running requests finish
         * @return this builder
         */
        public Builder stopTimeout(Duration timeout) {
            this.stopTimeout = timeout;
            return this;
        }

        /**
         * @param exchange the exchange used when the target names none
         * @return this builder
         */
        public Builder controlExchange(String exchange) {
            this.controlExchange = exchange;
            return this;
        }

        /** @return the options */
        public RpcServerOptions build() {
            return new RpcServerOptions(workers, ack, accessPolicy, expected, stopTimeout, controlExchange);
        }
    }
}
