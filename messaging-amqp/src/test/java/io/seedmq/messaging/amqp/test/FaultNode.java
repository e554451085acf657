package io.seedmq.messaging.amqp.test;

import io.seedmq.messaging.ConnectionOptions;
import java.time.Duration;

/**
 * The fault-injection RabbitMQ node the fault tests may restart and whose connections they may
 * close: never the broker other tests share.
 *
 * @param url its AMQP URL (with credentials: never print it, print {@link #options()}'s redacted form)
 * @param rabbitmqctl the {@code rabbitmqctl} that controls it
 */
public record FaultNode(String url, Rabbitmqctl rabbitmqctl) {

    /** @return options for the node with short timeouts suited to tests */
    public ConnectionOptions options() {
        return builder().build();
    }

    /** @return a builder for the node's options with short timeouts, to adjust per test */
    public ConnectionOptions.Builder builder() {
        return ConnectionOptions.fromUrl(url).toBuilder()
                .connectionTimeout(Duration.ofSeconds(5))
                .operationTimeout(Duration.ofSeconds(5))
                .recoveryInterval(Duration.ofMillis(500));
    }

    @Override
    public String toString() {
        return "FaultNode[" + ConnectionOptions.fromUrl(url).redactedUrl() + ", " + rabbitmqctl.node() + "]";
    }
}
