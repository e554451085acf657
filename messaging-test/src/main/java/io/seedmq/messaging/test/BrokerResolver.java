package io.seedmq.messaging.test;

import java.util.Locale;
import java.util.Objects;

/**
 * Decides which broker a test class gets and, for RabbitMQ, where it is: the logic of
 * {@link SeedmqExtension}, separated from the machine it asks so that every branch is tested
 * without a Docker engine. A RabbitMQ is looked for once; the answer (a broker or the reason there
 * is none) is kept for the run.
 */
final class BrokerResolver {

    /** The environment variable that names a RabbitMQ, first in the search. */
    static final String URL_VARIABLE = "SEEDMQ_AMQP_URL";
    /** The environment variable that turns a missing RabbitMQ into a failure instead of a skip. */
    static final String REQUIRE_VARIABLE = "SEEDMQ_REQUIRE_BROKER";
    /** The local broker tried last. */
    static final String LOCAL_URL = "amqp://guest:guest@127.0.0.1:5672/";
    /** The system property naming the Testcontainers image. */
    static final String IMAGE_PROPERTY = "seedmq.test.rabbitmq.image";
    /** The image used unless the property names another. */
    static final String DEFAULT_IMAGE = "rabbitmq:3.13-management";

    /** What the resolver asks of the machine. */
    interface Probes {
        /** @param name an environment variable @return its value, or {@code null} */
        String env(String name);

        /** @param name a system property @return its value, or {@code null} */
        String property(String name);

        /** @return {@code null} when Testcontainers is on the class path and a Docker engine answers, else why not */
        String dockerUnavailableReason();

        /**
         * Starts a RabbitMQ container, which lives until the JVM exits.
         *
         * @param image the image
         * @return its AMQP URL
         */
        String startContainer(String image);

        /** @param url an AMQP URL @return whether a broker there completes a handshake within seconds */
        boolean answers(String url);
    }

    /**
     * Where a RabbitMQ was found, or why none was.
     *
     * @param url its URL, or {@code null}
     * @param source where it came from, or {@code null}
     * @param reason why there is none, or {@code null}
     */
    record RabbitMq(String url, TestBroker.Source source, String reason) {
    }

    private final Probes probes;
    private RabbitMq rabbitMq;

    BrokerResolver(Probes probes) {
        this.probes = Objects.requireNonNull(probes, "probes");
    }

    /**
     * @param declared what the class's {@link SeedmqTest} says
     * @return the broker kind: the class's, else the run's property, else memory
     * @throws IllegalArgumentException when the property names no kind
     */
    BrokerKind kind(BrokerKind declared) {
        if (declared != BrokerKind.DEFAULT) {
            return declared;
        }
        String run = probes.property(SeedmqExtension.BROKER_PROPERTY);
        if (run == null || run.isBlank()) {
            return BrokerKind.MEMORY;
        }
        return switch (run.trim().toLowerCase(Locale.ROOT)) {
            case "memory" -> BrokerKind.MEMORY;
            case "rabbitmq" -> BrokerKind.RABBITMQ;
            default -> throw new IllegalArgumentException("-D" + SeedmqExtension.BROKER_PROPERTY + "=" + run
                    + " names no broker: use memory or rabbitmq");
        };
    }

    /** @return the run's RabbitMQ, looked for on the first call only */
    synchronized RabbitMq rabbitMq() {
        if (rabbitMq == null) {
            rabbitMq = findRabbitMq();
        }
        return rabbitMq;
    }

    private RabbitMq findRabbitMq() {
        String env = probes.env(URL_VARIABLE);
        if (env != null && !env.isBlank()) {
            return new RabbitMq(env.trim(), TestBroker.Source.ENVIRONMENT, null);
        }
        String dockerWhy = probes.dockerUnavailableReason();
        if (dockerWhy == null) {
            String image = probes.property(IMAGE_PROPERTY);
            try {
                return new RabbitMq(probes.startContainer(image == null || image.isBlank() ? DEFAULT_IMAGE : image.trim()),
                        TestBroker.Source.TESTCONTAINERS, null);
            } catch (RuntimeException e) {
                dockerWhy = "the RabbitMQ container did not start: " + e;
            }
        }
        if (probes.answers(LOCAL_URL)) {
            return new RabbitMq(LOCAL_URL, TestBroker.Source.LOCAL, null);
        }
        return new RabbitMq(null, null, "no RabbitMQ: " + URL_VARIABLE + " is unset, " + dockerWhy
                + ", and nothing answers AMQP at 127.0.0.1:5672");
    }

    /** @return whether a missing RabbitMQ fails the class instead of skipping it */
    boolean required() {
        return Boolean.parseBoolean(probes.env(REQUIRE_VARIABLE));
    }
}
