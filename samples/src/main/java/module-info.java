/**
 * The runnable samples, written as an application module would be: it requires the API only and
 * gets its transports by service binding (the API {@code uses} the SPI; a transport module on the
 * module path {@code provides} it), so it names no transport. Its package is opened to seedmq,
 * which calls RPC and notification endpoints reflectively, and to Jackson, which reads and writes
 * the payload records.
 */
module io.seedmq.samples {
    requires io.seedmq.messaging;

    opens io.seedmq.samples to io.seedmq.messaging, com.fasterxml.jackson.databind;
}
