package io.seedmq.messaging.rpc;

import io.seedmq.messaging.oslo.OsloTopology;
import io.seedmq.messaging.retry.RetryPolicy;
import io.seedmq.messaging.rpc.internal.Versions;
import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link RpcClient} sends: the call timeout, the version cap, the control exchange, whether
 * unroutable requests fail at once, and how sending is retried. Immutable and thread-safe; build
 * with {@link #builder()}, derive variants with {@link #toBuilder()}.
 *
 * <pre>{@code
 * RpcClientOptions options = RpcClientOptions.builder()
 *         .timeout(Duration.ofSeconds(10))
 *         .versionCap("1.4")
 *         .failIfUnroutable(true)
 *         .build();
 * }</pre>
 */
public final class RpcClientOptions {

    /** How long a call waits for its reply unless set: 60 seconds, as oslo's {@code rpc_response_timeout}. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private static final RpcClientOptions DEFAULTS = builder().build();

    private final Duration timeout;
    private final String versionCap;
    private final String controlExchange;
    private final boolean failIfUnroutable;
    private final RetryPolicy retry;
    private final OsloTopology topology;

    private RpcClientOptions(Builder b) {
        timeout = Objects.requireNonNull(b.timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        if (b.versionCap != null) {
            Versions.parse(b.versionCap);
        }
        versionCap = b.versionCap;
        controlExchange = Objects.requireNonNull(b.controlExchange, "controlExchange");
        failIfUnroutable = b.failIfUnroutable;
        retry = b.retry;
        topology = b.topology;
    }

    /** @return the defaults: 60 s timeout, no version cap, exchange {@code openstack}, not mandatory, the connection's retry */
    public static RpcClientOptions defaults() {
        return DEFAULTS;
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding these options, to derive variants */
    public Builder toBuilder() {
        return new Builder().timeout(timeout).versionCap(versionCap).controlExchange(controlExchange)
                .failIfUnroutable(failIfUnroutable).retry(retry).topology(topology);
    }

    /**
     * @return how long a call waits for its reply ({@link #DEFAULT_TIMEOUT} unless set); also the
     *     request's AMQP expiration, so a request nobody took in time is dropped
     */
    public Duration timeout() {
        return timeout;
    }

    /** @return the highest version this client may send, or {@code null} for no cap */
    public String versionCap() {
        return versionCap;
    }

    /** @return the exchange used when a target names none ({@code openstack} unless set) */
    public String controlExchange() {
        return controlExchange;
    }

    /**
     * @return whether requests are published mandatory, so a call or cast to a target no queue is
     *     bound to fails at once with {@link io.seedmq.messaging.UndeliverableException} instead of
     *     waiting out the timeout (off by default, as in oslo)
     */
    public boolean failIfUnroutable() {
        return failIfUnroutable;
    }

    /**
     * @return how sending a request is retried when the connection fails before the broker took it
     *     (oslo's {@code retry}: {@link io.seedmq.messaging.oslo.OsloRetry#of(Integer)} maps -1/N/0), or
     *     {@code null}, the default, for the connection's
     *     {@link io.seedmq.messaging.ConnectionOptions#retryPolicy()}. A request is sent again only
     *     while the broker has not confirmed it; a copy the broker did take is recognised by the
     *     server through its {@code _unique_id} and not run twice
     */
    public RetryPolicy retry() {
        return retry;
    }

    /**
     * @return how the client's exchanges and reply queue are declared: oslo's rabbit driver options
     *     ({@link OsloTopology#defaults()} unless set, which RabbitMQ 4.3 accepts;
     *     {@link OsloTopology#historical()} for oslo.messaging 14.0.3's). Python peers sharing its
     *     topics must use the same settings, or RabbitMQ refuses the second declaration
     */
    public OsloTopology topology() {
        return topology;
    }

    @Override
    public String toString() {
        return "RpcClientOptions[timeout=" + timeout + (versionCap == null ? "" : ", versionCap=" + versionCap)
                + ", controlExchange=" + controlExchange + ", failIfUnroutable=" + failIfUnroutable
                + (retry == null ? "" : ", retry=" + retry) + ", topology=" + topology + "]";
    }

    /** Builds {@link RpcClientOptions}; {@link #build()} validates. Not thread-safe. */
    public static final class Builder {
        private Duration timeout = DEFAULT_TIMEOUT;
        private String versionCap;
        private String controlExchange = Target.DEFAULT_EXCHANGE;
        private boolean failIfUnroutable;
        private RetryPolicy retry;
        private OsloTopology topology = OsloTopology.defaults();

        private Builder() {
        }

        /**
         * @param timeout how long a call waits for its reply; positive
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /**
         * @param versionCap the highest version to send ({@code major.minor[.revision]}), or {@code null}
         * @return this builder
         */
        public Builder versionCap(String versionCap) {
            this.versionCap = versionCap;
            return this;
        }

        /**
         * @param exchange the exchange used when a target names none
         * @return this builder
         */
        public Builder controlExchange(String exchange) {
            this.controlExchange = exchange;
            return this;
        }

        /**
         * @param failIfUnroutable whether to publish mandatory and fail when nothing is bound
         * @return this builder
         */
        public Builder failIfUnroutable(boolean failIfUnroutable) {
            this.failIfUnroutable = failIfUnroutable;
            return this;
        }

        /**
         * @param retry how sending is retried, or {@code null} for the connection's policy
         * @return this builder
         */
        public Builder retry(RetryPolicy retry) {
            this.retry = retry;
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

        /**
         * @return the options
         * @throws IllegalArgumentException if the timeout is not positive or the version cap is malformed
         * @throws NullPointerException if the timeout or the control exchange is {@code null}
         */
        public RpcClientOptions build() {
            return new RpcClientOptions(this);
        }
    }
}
