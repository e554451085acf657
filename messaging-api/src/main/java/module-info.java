/**
 * seedmq's API: connections, exchanges and queues, producers and consumers, serializers, RPC,
 * notifications and the oslo conventions they share, retry, observability, and the transport SPI. The {@code internal} packages are not exported:
 * applications and transports see only what is documented.
 *
 * <p>Jackson is part of the API ({@code ObjectMapper} and {@code TypeReference} appear in
 * signatures), so it is read by every module that reads this one. A transport is found with
 * {@link java.util.ServiceLoader}: on the module path a transport module {@code provides}
 * {@link io.seedmq.messaging.spi.TransportProvider}; on the class path its
 * {@code META-INF/services} entry does the same.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"}) // resilience4j and Micrometer ship automatic modules only
module io.seedmq.messaging {
    requires transitive com.fasterxml.jackson.databind;
    // ObservationRegistry and the observation contexts appear in the API.
    requires transitive micrometer.observation;
    requires transitive micrometer.commons;
    // Optional: MessagingMetrics (a MeterBinder) needs micrometer-core, the trace id in the MDC needs
    // micrometer-tracing; an application that uses them has them.
    requires static micrometer.core;
    requires static micrometer.tracing;
    requires io.github.resilience4j.core;
    requires io.github.resilience4j.retry;
    requires org.slf4j;

    exports io.seedmq.messaging;
    exports io.seedmq.messaging.notify;
    exports io.seedmq.messaging.observation;
    exports io.seedmq.messaging.oslo;
    exports io.seedmq.messaging.retry;
    exports io.seedmq.messaging.rpc;
    exports io.seedmq.messaging.serialization;
    exports io.seedmq.messaging.spi;

    uses io.seedmq.messaging.spi.TransportProvider;
}
