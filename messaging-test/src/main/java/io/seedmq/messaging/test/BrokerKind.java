package io.seedmq.messaging.test;

/**
 * Which broker a {@link SeedmqTest} class runs on.
 */
public enum BrokerKind {

    /**
     * The run's choice: the system property {@value SeedmqExtension#BROKER_PROPERTY} ({@code memory} or
     * {@code rabbitmq}), else {@link #MEMORY}. One class runs on either without change, and a build can
     * run the whole suite on RabbitMQ with {@code -Dseedmq.test.broker=rabbitmq}.
     */
    DEFAULT,

    /** The embedded broker ({@code memory://}), a separate named one per test class. */
    MEMORY,

    /**
     * A real RabbitMQ, whatever the run says: {@code SEEDMQ_AMQP_URL}, else a Testcontainers
     * {@code RabbitMQContainer} when a Docker engine is available (one per run), else
     * {@code amqp://guest:guest@127.0.0.1:5672/} when it answers. With none the class is skipped with
     * the reason, or fails when {@code SEEDMQ_REQUIRE_BROKER=true}.
     */
    RABBITMQ
}
