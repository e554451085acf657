package io.seedmq.messaging.spi;

import java.util.Map;

/**
 * How to subscribe to a queue.
 *
 * @param prefetch the most unacknowledged deliveries this subscription holds at once; 0 for no
 *     limit. Ignored with automatic acknowledgement, as in RabbitMQ.
 * @param autoAck whether the broker considers a message acknowledged once sent
 * @param exclusive whether this must be the queue's only consumer
 * @param consumerTag the tag to use, or {@code null} to let the transport choose one
 * @param arguments consumer arguments (for example {@code x-priority})
 */
public record SubscribeOptions(int prefetch, boolean autoAck, boolean exclusive, String consumerTag,
                               Map<String, Object> arguments) {

    /** Validates and copies. */
    public SubscribeOptions {
        if (prefetch < 0 || prefetch > 65535) {
            throw new IllegalArgumentException("prefetch must be between 0 and 65535: " + prefetch);
        }
        arguments = Map.copyOf(arguments == null ? Map.of() : arguments);
    }
}
