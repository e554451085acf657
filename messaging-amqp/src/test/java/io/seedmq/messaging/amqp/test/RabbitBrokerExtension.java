package io.seedmq.messaging.amqp.test;

import com.rabbitmq.client.ConnectionFactory;
import io.seedmq.messaging.ConnectionOptions;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.rabbitmq.RabbitMQContainer;

/**
 * Finds a RabbitMQ once per JVM, in this order: the {@code SEEDMQ_AMQP_URL} environment variable;
 * a Testcontainers {@link RabbitMQContainer} when a Docker engine is available; a broker at
 * {@code amqp://guest:guest@127.0.0.1:5672/} that completes an AMQP handshake within two seconds.
 * With none, the tests of the class are skipped with the reason, or fail when
 * {@code SEEDMQ_REQUIRE_BROKER=true}. Resolves {@link BrokerEndpoint} parameters.
 */
public final class RabbitBrokerExtension implements BeforeAllCallback, ParameterResolver {

    private static final String LOCAL_URL = "amqp://guest:guest@127.0.0.1:5672/";
    private static final String IMAGE = "rabbitmq:3.13-management";

    private static Resolution resolution;

    /** A broker, or why there is none. */
    private record Resolution(BrokerEndpoint endpoint, String reason) {
    }

    /** For JUnit. */
    public RabbitBrokerExtension() {
    }

    /**
     * The broker for tests that cannot use a JUnit Jupiter extension (jqwik properties), found the
     * same way and at most once per JVM.
     *
     * @return the broker, or empty with {@link #unavailableReason()} saying why there is none
     */
    public static Optional<BrokerEndpoint> endpoint() {
        return Optional.ofNullable(resolve().endpoint());
    }

    /** @return why {@link #endpoint()} is empty, or {@code null} when there is a broker */
    public static String unavailableReason() {
        return resolve().reason();
    }

    /** @return whether {@code SEEDMQ_REQUIRE_BROKER=true}: a missing broker fails the tests instead of skipping them */
    public static boolean brokerRequired() {
        return Boolean.parseBoolean(System.getenv("SEEDMQ_REQUIRE_BROKER"));
    }

    private static synchronized Resolution resolve() {
        if (resolution == null) {
            resolution = find();
        }
        return resolution;
    }

    private static Resolution find() {
        String env = System.getenv("SEEDMQ_AMQP_URL");
        if (env != null && !env.isBlank()) {
            return new Resolution(new BrokerEndpoint(env.trim(), "SEEDMQ_AMQP_URL", Optional.empty()), null);
        }
        String dockerWhy;
        try {
            // Asking Testcontainers without any Docker endpoint logs a frightening ERROR; look first.
            if (dockerEndpointVisible() && DockerClientFactory.instance().isDockerAvailable()) {
                RabbitMQContainer container = new RabbitMQContainer(IMAGE);
                container.start();
                // Stopped by Testcontainers' reaper when the JVM exits.
                return new Resolution(new BrokerEndpoint(container.getAmqpUrl(), "testcontainers",
                        Optional.empty()), null);
            }
            dockerWhy = "no Docker engine";
        } catch (RuntimeException | LinkageError e) {
            dockerWhy = "Testcontainers failed: " + e;
        }
        if (handshakes(LOCAL_URL)) {
            Rabbitmqctl local = new Rabbitmqctl();
            Optional<Rabbitmqctl> ctl = local.usable() ? Optional.of(local) : Optional.empty();
            return new Resolution(new BrokerEndpoint(LOCAL_URL, "local", ctl), null);
        }
        return new Resolution(null, "no RabbitMQ: SEEDMQ_AMQP_URL unset, " + dockerWhy
                + ", nothing answering AMQP at 127.0.0.1:5672");
    }

    private static boolean dockerEndpointVisible() {
        return System.getenv("DOCKER_HOST") != null
                || java.nio.file.Files.exists(java.nio.file.Path.of("/var/run/docker.sock"))
                || java.nio.file.Files.exists(java.nio.file.Path.of(System.getProperty("user.home"), ".testcontainers.properties"));
    }

    static boolean handshakes(String url) {
        ConnectionOptions options = ConnectionOptions.fromUrl(url);
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(options.addresses().get(0).host());
        factory.setPort(options.addresses().get(0).portOr(5672));
        factory.setUsername(options.username());
        factory.setPassword(options.password());
        factory.setConnectionTimeout(2000);
        factory.setHandshakeTimeout(2000);
        factory.setAutomaticRecoveryEnabled(false);
        try (com.rabbitmq.client.Connection c = factory.newConnection("seedmq-test-probe")) {
            return c.isOpen();
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Resolution r = resolve();
        if (r.endpoint() == null) {
            if (brokerRequired()) {
                throw new ExtensionConfigurationException("SEEDMQ_REQUIRE_BROKER=true but " + r.reason());
            }
            Assumptions.abort(r.reason());
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == BrokerEndpoint.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return resolve().endpoint();
    }
}
