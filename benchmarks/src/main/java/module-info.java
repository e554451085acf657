/**
 * The performance harness. Besides the API it requires the in-memory transport (scenarios delete
 * their named embedded broker), amqp-client (the raw references are written against it) and
 * java.management, picocli (its command line), Micrometer with OpenTelemetry's SDK (the observed
 * scenarios), and Spring AMQP (the Spring references). Its package is
 * opened to seedmq, which calls the RPC endpoints reflectively, to Jackson, which reads and writes
 * the payloads, to picocli, which sets the option fields, and to Spring, whose listener adapter
 * calls the Spring RPC server's method reflectively.
 */
@SuppressWarnings("requires-automatic") // amqp-client, Micrometer, OpenTelemetry and Spring ship automatic modules only
module io.seedmq.benchmarks {
    requires io.seedmq.messaging;
    requires io.seedmq.messaging.inmemory;
    requires com.rabbitmq.client;
    requires java.management;
    requires info.picocli;
    requires micrometer.core;
    requires micrometer.observation;
    requires micrometer.tracing;
    requires micrometer.tracing.bridge.otel;
    requires io.opentelemetry.api;
    requires io.opentelemetry.context;
    requires io.opentelemetry.sdk;
    requires io.opentelemetry.sdk.common;
    requires io.opentelemetry.sdk.trace;
    requires spring.amqp;
    requires spring.rabbit;

    opens io.seedmq.benchmarks to io.seedmq.messaging, com.fasterxml.jackson.databind, info.picocli, spring.core,
            spring.rabbit;
}
