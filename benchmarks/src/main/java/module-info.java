/**
 * The performance harness. Besides the API it requires the in-memory transport (scenarios delete
 * their named embedded broker), amqp-client (the raw references are written against it) and
 * java.management (it reads the process's CPU time). Its package is opened to seedmq, which calls
 * the RPC endpoints reflectively, and to Jackson, which reads and writes the payloads.
 */
@SuppressWarnings("requires-automatic") // amqp-client ships an automatic module only
module io.seedmq.benchmarks {
    requires io.seedmq.messaging;
    requires io.seedmq.messaging.inmemory;
    requires com.rabbitmq.client;
    requires java.management;

    opens io.seedmq.benchmarks to io.seedmq.messaging, com.fasterxml.jackson.databind;
}
