package io.seedmq.messaging.inmemory;

import io.seedmq.messaging.DeprecatedFeature;
import io.seedmq.messaging.DeprecatedFeatureException;
import io.seedmq.messaging.Queue;
import io.seedmq.messaging.QueueType;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What RabbitMQ 4.3 refuses by default in a queue declaration, and which of its deprecated features
 * the broker's configuration permits nonetheless ({@code deprecated_features.permit.<name> = true}).
 */
final class DeprecatedFeatures {
    /** The arguments classic queue storage v1 used; RabbitMQ 4.3 removed it and refuses them. */
    private static final String X_QUEUE_MODE = "x-queue-mode";
    private static final String X_QUEUE_VERSION = "x-queue-version";

    private final Set<DeprecatedFeature> permitted = ConcurrentHashMap.newKeySet();

    void permit(DeprecatedFeature feature, boolean permit) {
        if (permit) {
            permitted.add(feature);
        } else {
            permitted.remove(feature);
        }
    }

    boolean isPermitted(DeprecatedFeature feature) {
        return permitted.contains(feature);
    }

    /**
     * @throws DeprecatedFeatureException for a transient non-exclusive queue, unless permitted
     * @throws io.seedmq.messaging.DeclarationConflictException for {@code x-queue-mode} or
     *     {@code x-queue-version: 1}, which no configuration permits any more
     */
    void checkDeclaration(Queue queue) {
        // Only classic queues can be transient; a transient quorum queue or stream meets its own type's refusal.
        Object type = queue.arguments().get(Queue.X_QUEUE_TYPE);
        boolean classic = type == null || QueueType.CLASSIC.amqpName().equals(type.toString());
        if (classic && !queue.durable() && !queue.exclusive()
                && !isPermitted(DeprecatedFeature.TRANSIENT_NONEXCL_QUEUES)) {
            throw denied("declare queue '" + queue.name() + "'", DeprecatedFeature.TRANSIENT_NONEXCL_QUEUES);
        }
        if (queue.arguments().containsKey("x-queue-master-locator")
                && !isPermitted(DeprecatedFeature.QUEUE_MASTER_LOCATOR)) {
            throw denied("declare queue '" + queue.name() + "'", DeprecatedFeature.QUEUE_MASTER_LOCATOR);
        }
        Object mode = queue.arguments().get(X_QUEUE_MODE);
        if (mode != null) {
            throw Declarations.invalidArgument(X_QUEUE_MODE, queue.name(), "'" + mode
                    + "': classic queue storage v1 was removed in RabbitMQ 4.3, lazy mode with it");
        }
        Object version = queue.arguments().get(X_QUEUE_VERSION);
        if (version instanceof Number n && n.longValue() == 1) {
            throw Declarations.invalidArgument(X_QUEUE_VERSION, queue.name(),
                    "'1': classic queue storage v1 was removed in RabbitMQ 4.3; only version 2 exists");
        }
    }

    /** RabbitMQ 4.3's reply to a denied feature, word for word. */
    static DeprecatedFeatureException denied(String operation, DeprecatedFeature feature) {
        String name = feature.rabbitName();
        return new DeprecatedFeatureException(operation, name, "INTERNAL_ERROR - Feature `" + name
                + "` is deprecated.\nBy default, this feature is not permitted anymore.\nThe feature will be removed "
                + "from a future major RabbitMQ version, regardless of the configuration; actual version to be "
                + "determined.\nTo continue using this feature when it is not permitted by default, set the following "
                + "parameter in your configuration:\n    \"" + feature.permitKey() + " = true\"", null);
    }
}
