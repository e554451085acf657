/**
 * The performance harness. Besides the API it requires the in-memory transport (scenarios delete
 * their named embedded broker), amqp-client (the raw references are written against it) and
 * java.management (it reads the process's CPU time) and picocli (its command line). Its package is
 * opened to seedmq, which calls the RPC endpoints reflectively, to Jackson, which reads and writes
 * the payloads, and to picocli, which sets the option fields.
 */
@SuppressWarnings("requires-automatic") // amqp-client ships an automatic module only
module io.seedmq.benchmarks {
    requires io.seedmq.messaging;
    requires io.seedmq.messaging.inmemory;
    requires com.rabbitmq.client;
    requires java.management;
    requires info.picocli;

    opens io.seedmq.benchmarks to io.seedmq.messaging, com.fasterxml.jackson.databind, info.picocli;
}
