package io.seedmq.messaging.amqp.test;

import io.seedmq.messaging.ConnectionOptions;
import java.time.Duration;
import java.util.Optional;

/**
 * The broker the tests run against.
 *
 * @param url its AMQP URL (with credentials: never print it, print {@link #options()}'s redacted form)
 * @param source where it came from, for messages: {@code SEEDMQ_AMQP_URL}, {@code testcontainers} or {@code local}
 * @param rabbitmqctl the {@code rabbitmqctl} that controls it, when one is usable (a local broker only)
 */
public record BrokerEndpoint(String url, String source, Optional<Rabbitmqctl> rabbitmqctl) {

    /** @return options for the broker with short timeouts suited to tests */
    public ConnectionOptions options() {
        return builder().build();
    }

    /** @return a builder for the broker's options with short timeouts, to adjust per test */
    public ConnectionOptions.Builder builder() {
        return ConnectionOptions.fromUrl(url).toBuilder()
                .connectionTimeout(Duration.ofSeconds(5))
                .operationTimeout(Duration.ofSeconds(5))
                .recoveryInterval(Duration.ofMillis(500));
    }

    @Override
    public String toString() {
        return "BrokerEndpoint[" + ConnectionOptions.fromUrl(url).redactedUrl() + ", " + source + "]";
    }
}
