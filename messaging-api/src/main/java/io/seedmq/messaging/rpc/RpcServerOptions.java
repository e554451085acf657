package io.seedmq.messaging.rpc;

import io.seedmq.messaging.Lifecycle;
import io.seedmq.messaging.retry.RetryPolicy;
import io.seedmq.messaging.oslo.OsloTopology;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * How an {@link RpcServer} runs. Immutable; build with {@link #builder()}.
 *
 * <pre>{@code
 * RpcServerOptions options = RpcServerOptions.builder()
 *         .concurrency(16)                         // requests served at once
 *         .ack(RequestAck.AFTER_DISPATCH)          // at least once
 *         .expectedExceptions(NotFound.class)
 *         .build();
 * }</pre>
 */
public final class RpcServerOptions {

    /** How many requests run at once unless told otherwise. */
    public static final int DEFAULT_CONCURRENCY = 8;

    private final int concurrency;
    private final Executor executor;
    private final RequestAck ack;
    private final AccessPolicy accessPolicy;
    private final Set<Class<? extends Throwable>> expectedExceptions;
    private final Duration stopTimeout;
    private final String controlExchange;
    private final boolean rpcPingEnabled;
    private final RetryPolicy retryPolicy;
    private final OsloTopology topology;

    private RpcServerOptions(Builder b) {
        if (b.concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1: " + b.concurrency);
        }
        concurrency = b.concurrency;
        executor = b.executor;
        ack = Objects.requireNonNull(b.ack, "ack");
        accessPolicy = Objects.requireNonNull(b.accessPolicy, "accessPolicy");
        expectedExceptions = Set.copyOf(b.expected);
        stopTimeout = Objects.requireNonNull(b.stopTimeout, "stopTimeout");
        if (stopTimeout.isNegative()) {
            throw new IllegalArgumentException("stopTimeout must not be negative: " + stopTimeout);
        }
        controlExchange = Objects.requireNonNull(b.controlExchange, "controlExchange");
        rpcPingEnabled = b.rpcPingEnabled;
        retryPolicy = b.retryPolicy;
        topology = b.topology;
    }

    /** @return the defaults */
    public static RpcServerOptions defaults() {
        return builder().build();
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding these options */
    public Builder toBuilder() {
        Builder b = new Builder().concurrency(concurrency).executor(executor).ack(ack).accessPolicy(accessPolicy)
                .stopTimeout(stopTimeout).controlExchange(controlExchange).rpcPingEnabled(rpcPingEnabled).retryPolicy(retryPolicy)
                .topology(topology);
        b.expected.addAll(expectedExceptions);
        return b;
    }

    /** @return how many requests run at once (default {@value #DEFAULT_CONCURRENCY}); the server prefetches twice as many */
    public int concurrency() {
        return concurrency;
    }

    /** @return the executor endpoints run on, or {@code null} for the connection's or the server's own pool */
    public Executor executor() {
        return executor;
    }

    /** @return when requests are acknowledged (default {@link RequestAck#ON_RECEIPT}, as oslo) */
    public RequestAck ack() {
        return ack;
    }

    /** @return which methods are callable (default {@link AccessPolicy#PUBLIC_METHODS}) */
    public AccessPolicy accessPolicy() {
        return accessPolicy;
    }

    /** @return exceptions any endpoint may throw as part of its contract: sent back, not logged as errors */
    public Set<Class<? extends Throwable>> expectedExceptions() {
        return expectedExceptions;
    }

    /** @return how long {@link RpcServer#stop()} lets running requests finish (default 30 s) */
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

    /** @return the exchange used when the target names none (default {@code openstack}) */
    public String controlExchange() {
        return controlExchange;
    }

    /**
     * @return how the server's exchanges and queues are declared: oslo's rabbit driver options
     *     ({@link OsloTopology#defaults()} unless set, which RabbitMQ 4.3 accepts;
     *     {@link OsloTopology#historical()} for oslo.messaging 14.0.3's). Python peers sharing its
     *     topics must use the same settings, or RabbitMQ refuses the second declaration
     */
    public OsloTopology topology() {
        return topology;
    }

    /**
     * @return whether the server answers oslo's health probe, a call of
     *     {@value RpcClient#PING_METHOD}, with {@code "pong"} (default {@code false}, as oslo's
     *     {@code rpc_ping_enabled})
     */
    public boolean rpcPingEnabled() {
        return rpcPingEnabled;
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof RpcServerOptions o)) {
            return false;
        }
        return concurrency == o.concurrency && Objects.equals(executor, o.executor)
                && Objects.equals(ack, o.ack) && Objects.equals(accessPolicy, o.accessPolicy)
                && Objects.equals(expectedExceptions, o.expectedExceptions)
                && Objects.equals(stopTimeout, o.stopTimeout)
                && Objects.equals(controlExchange, o.controlExchange)
                && rpcPingEnabled == o.rpcPingEnabled && Objects.equals(retryPolicy, o.retryPolicy)
                && topology.equals(o.topology);
    }

    @Override
    public int hashCode() {
        return Objects.hash(concurrency, executor, ack, accessPolicy, expectedExceptions, stopTimeout,
                controlExchange, rpcPingEnabled, retryPolicy, topology);
    }

    @Override
    public String toString() {
        return "RpcServerOptions[concurrency=" + concurrency + ", ack=" + ack + ", accessPolicy=" + accessPolicy
                + ", stopTimeout=" + stopTimeout + ", controlExchange=" + controlExchange
                + (rpcPingEnabled ? ", rpcPingEnabled" : "") + ", topology=" + topology + "]";
    }

    /** Builds {@link RpcServerOptions}. Not thread-safe. */
    public static final class Builder {
        private int concurrency = DEFAULT_CONCURRENCY;
        private Executor executor;
        private RequestAck ack = RequestAck.ON_RECEIPT;
        private AccessPolicy accessPolicy = AccessPolicy.PUBLIC_METHODS;
        private final Set<Class<? extends Throwable>> expected = new LinkedHashSet<>();
        private Duration stopTimeout = Lifecycle.DEFAULT_STOP_TIMEOUT;
        private String controlExchange = Target.DEFAULT_EXCHANGE;
        private boolean rpcPingEnabled;
        private RetryPolicy retryPolicy;
        private OsloTopology topology = OsloTopology.defaults();

        private Builder() {
        }

        /**
         * @param enabled whether to answer {@value RpcClient#PING_METHOD} with {@code "pong"}, as an
         *     oslo.messaging server does with {@code rpc_ping_enabled = True}; if an endpoint has a
         *     method of that name it answers instead, and a warning is logged
         * @return this builder
         */
        public Builder rpcPingEnabled(boolean enabled) {
            this.rpcPingEnabled = enabled;
            return this;
        }

        /**
         * @param requests how many requests run at once (oslo's {@code executor_thread_pool_size})
         * @return this builder
         */
        public Builder concurrency(int requests) {
            this.concurrency = requests;
            return this;
        }

        /**
         * @param executor runs the endpoints, at most {@link #concurrency} at once; seedmq never shuts
         *     it down. {@code null} (default) for the connection's handler executor, else a pool of
         *     the server's own
         * @return this builder
         */
        public Builder executor(Executor executor) {
            this.executor = executor;
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

        /**
         * @param policy how starting is retried, and how a lost subscription is restored (each attempt
         *     declares the queues and subscribes once); {@code null} (default) for the connection's
         *     policy to start and {@link Lifecycle#DEFAULT_RESUBSCRIBE_POLICY} to restore
         * @return this builder
         */
        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = policy;
            return this;
        }

        /**
         * @param topology how exchanges and queues are declared, as oslo's rabbit driver options
         *     ({@link OsloTopology#fromSettings} reads an oslo section)
         * @return this builder
         */
        public Builder topology(OsloTopology topology) {
            this.topology = Objects.requireNonNull(topology, "topology");
            return this;
        }

        /** @return the options */
        public RpcServerOptions build() {
            return new RpcServerOptions(this);
        }
    }
}
