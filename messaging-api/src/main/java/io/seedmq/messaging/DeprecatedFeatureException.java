package io.seedmq.messaging;

import java.util.Objects;
import java.util.Optional;

/**
 * The broker refused a deprecated feature it does not permit: RabbitMQ 4.3's default for a queue
 * that is neither durable nor exclusive, for global QoS and for {@code x-queue-master-locator}.
 * RabbitMQ answers {@code 541 INTERNAL_ERROR - Feature `<name>` is deprecated.} and closes the
 * connection (seedmq's AMQP transport recovers it); the embedded broker refuses the same
 * declarations by default and keeps the connection open. Nothing was declared. The message
 * carries the broker's reason and the fix; retrying the same operation fails the same way.
 */
public class DeprecatedFeatureException extends MessagingException {
    private static final long serialVersionUID = 1L;

    private final String featureName;

    /**
     * @param operation what was refused, for the message ({@code declare queue 'q'})
     * @param featureName the feature as RabbitMQ names it ({@code transient_nonexcl_queues})
     * @param reason the broker's reply text
     * @param cause the underlying failure, or {@code null}
     */
    public DeprecatedFeatureException(String operation, String featureName, String reason, Throwable cause) {
        super(operation + ": " + reason + DeprecatedFeature.fromRabbitName(featureName).map(f -> " (" + f.fix() + ")")
                .orElse(""), cause);
        this.featureName = Objects.requireNonNull(featureName, "featureName");
    }

    /** @return the feature as RabbitMQ names it, e.g. {@code transient_nonexcl_queues} */
    public String featureName() {
        return featureName;
    }

    /** @return the feature, when seedmq knows it */
    public Optional<DeprecatedFeature> feature() {
        return DeprecatedFeature.fromRabbitName(featureName);
    }
}
