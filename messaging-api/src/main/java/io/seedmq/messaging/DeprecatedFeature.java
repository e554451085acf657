package io.seedmq.messaging;

import java.util.Locale;
import java.util.Optional;

/**
 * The deprecated RabbitMQ features an AMQP 0-9-1 client can run into, by the names RabbitMQ's
 * {@code deprecated_features.permit.<name>} configuration keys use. RabbitMQ 4.3 denies each of
 * them by default: using one fails with {@link DeprecatedFeatureException} unless the broker's
 * operator permitted it (on the embedded broker, {@code InMemoryBroker.permit}).
 */
public enum DeprecatedFeature {
    /**
     * A queue that is neither durable nor exclusive. Declare it durable (with a TTL,
     * {@link Queue#X_EXPIRES}, to clean up after it), or exclusive to its connection.
     */
    TRANSIENT_NONEXCL_QUEUES("declare it durable with a TTL (x-expires), or exclusive"),
    /**
     * {@code basic.qos} with {@code global=true}: a prefetch shared by all consumers of a channel.
     * seedmq never sets it; its prefetch is per consumer.
     */
    GLOBAL_QOS("use a per-consumer prefetch (global=false)"),
    /** The {@code x-queue-master-locator} queue argument. Use {@code x-queue-leader-locator}. */
    QUEUE_MASTER_LOCATOR("use the x-queue-leader-locator argument instead");

    private final String fix;

    DeprecatedFeature(String fix) {
        this.fix = fix;
    }

    /** @return RabbitMQ's name of the feature, as in {@code deprecated_features.permit.transient_nonexcl_queues} */
    public String rabbitName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return the configuration key that permits it on RabbitMQ, set to {@code true} */
    public String permitKey() {
        return "deprecated_features.permit." + rabbitName();
    }

    /** @return what to do instead, in a few words, for error messages */
    public String fix() {
        return fix;
    }

    /**
     * @param rabbitName a feature's name as RabbitMQ writes it ({@code transient_nonexcl_queues})
     * @return the feature, or empty when seedmq does not know it
     */
    public static Optional<DeprecatedFeature> fromRabbitName(String rabbitName) {
        for (DeprecatedFeature f : values()) {
            if (f.rabbitName().equals(rabbitName)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
