package io.seedmq.messaging.amqp.test;

import io.seedmq.messaging.Connection;
import io.seedmq.messaging.ConnectionOptions;
import io.seedmq.messaging.MessagingException;
import io.seedmq.messaging.retry.RetryPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/** What the extensions that find a broker of the tests' own share: probing it, reading the environment, skipping. */
final class BrokerProbe {

    private BrokerProbe() {
    }

    /** @return whether a broker completes a connection at the URL within two seconds */
    static boolean answers(String url) {
        ConnectionOptions probe = ConnectionOptions.fromUrl(url).toBuilder().connectionTimeout(Duration.ofSeconds(2))
                .automaticRecovery(false).retryPolicy(RetryPolicy.none()).build();
        try (Connection c = Connection.open(probe)) {
            return c.isOpen();
        } catch (MessagingException e) {
            return false;
        }
    }

    /** @return the environment variable, trimmed, or {@code otherwise} when unset or blank */
    static String env(String name, String otherwise) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? otherwise : v.trim();
    }

    /**
     * Skips the test class with the reason, or fails it when {@code SEEDMQ_REQUIRE_BROKER=true}.
     *
     * @param reason why the broker is missing
     */
    /** @return whether a missing broker fails the tests ({@code SEEDMQ_REQUIRE_BROKER=true}) instead of skipping them */
    static boolean required() {
        return Boolean.parseBoolean(System.getenv("SEEDMQ_REQUIRE_BROKER"));
    }

    static void missing(String reason) {
        if (required()) {
            throw new ExtensionConfigurationException("SEEDMQ_REQUIRE_BROKER=true but " + reason);
        }
        Assumptions.abort(reason);
    }
}
