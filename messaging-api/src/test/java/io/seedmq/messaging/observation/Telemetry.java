package io.seedmq.messaging.observation;

import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
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
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What an application wires for observability, in memory: Micrometer's {@link TestObservationRegistry}
 * (which validates every observation's life cycle), a meter handler on a {@link SimpleMeterRegistry},
 * and a real tracer (the OpenTelemetry SDK through Micrometer's bridge, W3C propagation, spans
 * exported to memory). A counting handler records how often each observation was started and
 * stopped, and lets a test wait for stops without sleeping.
 */
public final class Telemetry implements AutoCloseable {

    /** The registry to set on the connection options. */
    public final TestObservationRegistry registry = TestObservationRegistry.create();
    /** The meters the observations made. */
    public final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    /** The finished spans. */
    public final InMemorySpanExporter spans = InMemorySpanExporter.create();
    /** The tracer, to open a span of the test's own. */
    public final OtelTracer tracer;
    private final SdkTracerProvider provider;
    private final Counting counting = new Counting();

    /** Wires it all. */
    public Telemetry() {
        provider = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(provider)
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
        io.opentelemetry.api.trace.Tracer otel = sdk.getTracer("seedmq-tests");
        OtelCurrentTraceContext current = new OtelCurrentTraceContext();
        tracer = new OtelTracer(otel, current, event -> { }, new OtelBaggageManager(current, List.of(), List.of()));
        OtelPropagator propagator = new OtelPropagator(sdk.getPropagators(), otel);
        registry.observationConfig()
                .observationHandler(counting)
                .observationHandler(new DefaultMeterObservationHandler(meters))
                .observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
                        new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
                        new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
                        new DefaultTracingObservationHandler(tracer)));
    }

    /**
     * Waits until this many observations of a name have stopped.
     *
     * @param name the observation's name
     * @param count how many
     * @param timeout the bound
     * @return their contexts, in the order they stopped
     * @throws AssertionError when fewer stopped in time
     */
    public List<Observation.Context> awaitStopped(String name, int count, Duration timeout) throws InterruptedException {
        return counting.await(c -> name.equals(c.getName()), count, timeout);
    }

    /**
     * @param name an observation's name
     * @return the contexts of those stopped so far
     */
    public List<Observation.Context> stopped(String name) {
        return counting.stopped(c -> name.equals(c.getName()));
    }

    /** @throws AssertionError unless every observation started was started once and stopped once */
    public void assertEachStartedAndStoppedOnce() {
        counting.assertOnce();
    }

    /**
     * @param name a span's name
     * @return the finished spans of that name
     */
    public List<SpanData> spans(String name) {
        return spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).toList();
    }

    /**
     * @param name a span's name
     * @return the one finished span of that name
     */
    public SpanData span(String name) {
        List<SpanData> found = spans(name);
        if (found.size() != 1) {
            throw new AssertionError("expected one span '" + name + "', got " + found.size() + " among "
                    + spans.getFinishedSpanItems().stream().map(SpanData::getName).toList());
        }
        return found.get(0);
    }

    @Override
    public void close() {
        provider.close();
        meters.close();
    }

    /** Counts starts and stops per context, and wakes who waits for stops. */
    private static final class Counting implements ObservationHandler<Observation.Context> {
        private final Map<Observation.Context, int[]> counts = new IdentityHashMap<>();
        private final List<Observation.Context> stopped = new ArrayList<>();

        @Override
        public synchronized void onStart(Observation.Context context) {
            counts.computeIfAbsent(context, c -> new int[2])[0]++;
        }

        @Override
        public synchronized void onStop(Observation.Context context) {
            counts.computeIfAbsent(context, c -> new int[2])[1]++;
            stopped.add(context);
            notifyAll();
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return true;
        }

        synchronized List<Observation.Context> await(Predicate<Observation.Context> which, int count, Duration timeout)
                throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (stopped(which).size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("expected " + count + " observations to stop within " + timeout
                            + ", got " + stopped(which).size() + "; stopped: " + stopped.stream().map(Observation.Context::getName).toList());
                }
                wait(Math.max(1, left / 1_000_000));
            }
            return stopped(which);
        }

        synchronized List<Observation.Context> stopped(Predicate<Observation.Context> which) {
            return stopped.stream().filter(which).toList();
        }

        synchronized void assertOnce() {
            counts.forEach((context, n) -> {
                if (n[0] != 1 || n[1] != 1) {
                    throw new AssertionError(context.getName() + " started " + n[0] + " and stopped " + n[1]
                            + " times: " + context);
                }
            });
        }
    }
}
