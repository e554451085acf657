/**
 * The runnable samples, written as an application module would be: it requires the API only and
 * gets its transports by service binding (the API {@code uses} the SPI; a transport module on the
 * module path {@code provides} it), so it names no transport. Its package is opened to seedmq,
 * which calls RPC and notification endpoints (and the RPC interface a server serves) reflectively,
 * to Jackson, which reads and writes the payload records, and to picocli, which sets the command
 * line's option fields. The RPC interface's proxy needs nothing more: the interface is public.
 */
@SuppressWarnings("requires-automatic") // Micrometer and OpenTelemetry ship automatic modules only
module io.seedmq.samples {
    requires io.seedmq.messaging;
    requires info.picocli;
    // The observability sample's meter registry and tracer.
    requires micrometer.core;
    requires micrometer.tracing;
    requires micrometer.tracing.bridge.otel;
    requires io.opentelemetry.api;
    requires io.opentelemetry.context;
    requires io.opentelemetry.sdk;
    requires io.opentelemetry.sdk.common;
    requires io.opentelemetry.sdk.trace;

    opens io.seedmq.samples to io.seedmq.messaging, com.fasterxml.jackson.databind, info.picocli;
}
