package io.seedmq.messaging.test;

import io.seedmq.messaging.Connection;
import io.seedmq.messaging.ConnectionOptions;
import io.seedmq.messaging.MessagingException;
import io.seedmq.messaging.UnsupportedSchemeException;
import io.seedmq.messaging.retry.RetryPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The {@link BrokerResolver}'s questions, asked of this machine and JVM. */
final class MachineProbes implements BrokerResolver.Probes {

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    @Override
    public String env(String name) {
        return System.getenv(name);
    }

    @Override
    public String property(String name) {
        return System.getProperty(name);
    }

    @Override
    public String dockerUnavailableReason() {
        try {
            Class.forName("org.testcontainers.DockerClientFactory", false, MachineProbes.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return "Testcontainers is not on the class path";
        }
        // Asking Testcontainers on a machine with no Docker endpoint at all logs a frightening
        // ERROR; look for one first.
        boolean endpoint = System.getenv("DOCKER_HOST") != null
                || Files.exists(Path.of("/var/run/docker.sock"))
                || Files.exists(Path.of(System.getProperty("user.home"), ".testcontainers.properties"));
        if (!endpoint) {
            return "no Docker engine (no DOCKER_HOST, /var/run/docker.sock or ~/.testcontainers.properties)";
        }
        try {
            return Containers.dockerAvailable() ? null : "Testcontainers finds no usable Docker engine";
        } catch (RuntimeException | LinkageError e) {
            return "Testcontainers failed: " + e;
        }
    }

    @Override
    public String startContainer(String image) {
        return Containers.startRabbitMq(image);
    }

    /**
     * Opens and closes a seedmq connection, once, within two seconds.
     *
     * @throws UnsupportedSchemeException when no AMQP transport is on the class path: a RabbitMQ
     *     test cannot run at all then, which must not read as "no broker"
     */
    @Override
    public boolean answers(String url) {
        ConnectionOptions options = ConnectionOptions.fromUrl(url).toBuilder()
                .connectionTimeout(PROBE_TIMEOUT)
                .operationTimeout(PROBE_TIMEOUT)
                .automaticRecovery(false)
                .retryPolicy(RetryPolicy.none())
                .connectionName("seedmq-test-probe")
                .build();
        try (Connection probe = Connection.open(options)) {
            return probe.isOpen();
        } catch (UnsupportedSchemeException e) {
            throw e;
        } catch (MessagingException e) {
            return false;
        }
    }
}
