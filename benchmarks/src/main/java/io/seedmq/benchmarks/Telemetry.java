package io.seedmq.benchmarks;

import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelBaggageManager;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.seedmq.messaging.ConnectionOptions;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Metrics and traces as an application wires them, for the observed scenarios: a
 * {@link SimpleMeterRegistry} and the OpenTelemetry SDK through Micrometer's tracing bridge (W3C
 * propagation), every finished span handed to an in-memory exporter. The exporter counts the
 * spans and lets them go: keeping millions of spans would measure the heap, not the hooks.
 */
final class Telemetry implements AutoCloseable {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final AtomicLong spans = new AtomicLong();
    private final SdkTracerProvider provider;
    private final ObservationRegistry registry = ObservationRegistry.create();

    Telemetry() {
        provider = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(new CountingExporter())).build();
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(provider)
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
        io.opentelemetry.api.trace.Tracer otel = sdk.getTracer("seedmq-benchmarks");
        OtelCurrentTraceContext current = new OtelCurrentTraceContext();
        Tracer tracer = new OtelTracer(otel, current, event -> { }, new OtelBaggageManager(current, java.util.List.of(),
                java.util.List.of()));
        OtelPropagator propagator = new OtelPropagator(sdk.getPropagators(), otel);
        registry.observationConfig()
                .observationHandler(new DefaultMeterObservationHandler(meters))
                .observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
                        new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
                        new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
                        new DefaultTracingObservationHandler(tracer)));
    }

    /** @return the connection options of {@code url} with this registry */
    ConnectionOptions options(String url) {
        return ConnectionOptions.fromUrl(url).toBuilder().observationRegistry(registry).build();
    }

    /** @return how many spans ended so far (a check that the hooks ran) */
    long spans() {
        return spans.get();
    }

    @Override
    public void close() {
        provider.close();
        meters.close();
    }

    /** Counts exported spans and drops them. */
    private final class CountingExporter implements SpanExporter {
        @Override
        public CompletableResultCode export(Collection<SpanData> batch) {
            spans.addAndGet(batch.size());
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }
}
