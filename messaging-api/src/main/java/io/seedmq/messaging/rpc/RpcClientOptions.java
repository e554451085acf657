package io.seedmq.messaging.rpc;

import io.seedmq.messaging.retry.RetryPolicy;
import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link RpcClient} sends. Immutable; build with {@link #builder()}.
 *
 * @param timeout how long a call waits for its reply (default {@value #DEFAULT_TIMEOUT_SECONDS} s,
 *     as oslo); also the request's AMQP expiration, so a request nobody took in time is dropped
 * @param versionCap the highest version this client may send, or {@code null} for no cap
 * @param controlExchange the exchange used when a target names none (default {@code openstack})
 * @param failIfUnroutable publish requests mandatory, so a call or cast to a target no queue is
 *     bound to fails at once with {@link io.seedmq.messaging.UndeliverableException} instead of
 *     waiting out the timeout (off by default, as in oslo)
 * @param retry how sending a request is retried when the connection fails before the broker
 *     took it (oslo's {@code retry}: {@link RetryPolicy#ofOsloRetry(Integer)} maps -1/N/0);
 *     {@code null}, the default, for the connection's {@link io.seedmq.messaging.ConnectionOptions#retryPolicy()}.
 *     A request is sent again only while the broker has not confirmed it; a copy the broker did
 *     take is recognised by the server through its {@code _unique_id} and not run twice
 */
public record RpcClientOptions(Duration timeout, String versionCap, String controlExchange, boolean failIfUnroutable,
                               RetryPolicy retry) {

    /** The default call timeout, in seconds. */
    public static final int DEFAULT_TIMEOUT_SECONDS = 60;

    private static final RpcClientOptions DEFAULTS = builder().build();

    /** Validates. */
    public RpcClientOptions {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        if (versionCap != null) {
            io.seedmq.messaging.rpc.internal.Versions.parse(versionCap);
        }
        Objects.requireNonNull(controlExchange, "controlExchange");
    }

    /** @return the defaults: 60 s timeout, no version cap, exchange {@code openstack}, not mandatory */
    public static RpcClientOptions defaults() {
        return DEFAULTS;
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder starting from these options */
    public Builder toBuilder() {
        return new Builder().timeout(timeout).versionCap(versionCap).controlExchange(controlExchange)
                .failIfUnroutable(failIfUnroutable).retry(retry);
    }

    /** Builds {@link RpcClientOptions}. Not thread-safe. */
    public static final class Builder {
        private Duration timeout = Duration.ofSeconds(DEFAULT_TIMEOUT_SECONDS);
        private String versionCap;
        private String controlExchange = Target.DEFAULT_EXCHANGE;
        private boolean failIfUnroutable;
        private RetryPolicy retry;

        private Builder() {
        }

        /**
         * @param timeout how long a call waits for its reply
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /**
         * @param versionCap the highest version to send, or {@code null}
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

        /** @return the options */
        public RpcClientOptions build() {
            return new RpcClientOptions(timeout, versionCap, controlExchange, failIfUnroutable, retry);
        }
    }
}
