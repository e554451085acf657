/**
 * seedmq's test kit: a JUnit 5 extension ({@link io.seedmq.messaging.test.SeedmqTest}) that gives a
 * test class a broker (the embedded one, or a RabbitMQ) and its tests connections, unique names and
 * clean-up, and helpers to assert on messages, RPC calls and notifications without sleeping. It
 * reads the API and JUnit's API transitively, so a test module {@code requires io.seedmq.messaging.test}
 * only. Testcontainers, when present, is reached by reflection and needs no {@code requires}.
 */
module io.seedmq.messaging.test {
    requires transitive io.seedmq.messaging;
    requires transitive org.junit.jupiter.api;
    requires io.seedmq.messaging.inmemory;

    exports io.seedmq.messaging.test;
}
