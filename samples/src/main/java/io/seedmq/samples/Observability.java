package io.seedmq.samples;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Span;
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
import io.seedmq.messaging.Connection;
import io.seedmq.messaging.ConnectionOptions;
import io.seedmq.messaging.Consumer;
import io.seedmq.messaging.ConsumerOptions;
import io.seedmq.messaging.Publish;
import io.seedmq.messaging.Queue;
import io.seedmq.messaging.observation.MessagingMetrics;
import io.seedmq.messaging.oslo.Context;
import io.seedmq.messaging.rpc.RpcClient;
import io.seedmq.messaging.rpc.RpcClientOptions;
import io.seedmq.messaging.rpc.RpcServer;
import io.seedmq.messaging.rpc.RpcServerOptions;
import io.seedmq.messaging.rpc.Target;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Observability: a message whose handler makes an RPC call, on two connections, with a real
 * {@link MeterRegistry} and a real tracer (the OpenTelemetry SDK through Micrometer's tracing
 * bridge, W3C propagation, spans kept in memory). Prints the meters and the spans of the one trace,
 * and checks that publish, handling, call and server method are one trace with the right parents,
 * that the meters counted them, and that oslo's ping answers {@code pong}.
 */
final class Observability implements Sample {

    private static final String QUEUE = "orders";
    private static final String TOPIC = "pricing";
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final PrintStream out;

    Observability() {
        this(System.out);
    }

    Observability(PrintStream out) {
        this.out = out;
    }

    /** The pricing service's endpoint. */
    public static final class Pricing {
        public int price(int quantity) {
            return quantity * 7;
        }
    }

    @Override
    public String name() {
        return "observability";
    }

    @Override
    public String description() {
        return "Observability: a handler that makes an RPC call, with Micrometer's meters and one trace across"
                + " both connections; in-process only.";
    }

    @Override
    public List<String> roleNames() {
        return List.of();
    }

    @Override
    public List<String> roles() {
        return List.of("observability [--url URL]   (in-process only: prints meters and one trace)");
    }

    @Override
    public Check runInProcess(String url, Names names) throws Exception {
        MemorySpans spans = new MemorySpans();
        SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try {
            OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(provider)
                    .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
            io.opentelemetry.api.trace.Tracer otel = sdk.getTracer("seedmq-samples");
            OtelCurrentTraceContext current = new OtelCurrentTraceContext();
            Tracer tracer = new OtelTracer(otel, current, event -> { }, new OtelBaggageManager(current, List.of(), List.of()));
            OtelPropagator propagator = new OtelPropagator(sdk.getPropagators(), otel);
            // What an application wires once: metrics and traces from the same observations.
            ObservationRegistry registry = ObservationRegistry.create();
            registry.observationConfig()
                    .observationHandler(new DefaultMeterObservationHandler(meters))
                    .observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
                            new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
                            new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
                            new DefaultTracingObservationHandler(tracer)));
            ConnectionOptions options = ConnectionOptions.fromUrl(url).toBuilder().observationRegistry(registry).build();
            return run(options, names, tracer, meters, spans);
        } finally {
            provider.close();
            meters.close();
        }
    }

    private Check run(ConnectionOptions options, Names names, Tracer tracer, SimpleMeterRegistry meters,
                      MemorySpans spans) throws Exception {
        String queue = names.of(QUEUE);
        String topic = names.of(TOPIC);
        // The run's own control exchange: the broker may hold another application's "openstack".
        String exchange = names.of(Target.DEFAULT_EXCHANGE);
        try (Connection shop = Connection.open(options.toBuilder().connectionName("shop").build());
             Connection pricing = Connection.open(options.toBuilder().connectionName("pricing").build())) {
            MessagingMetrics.of(shop).bindTo(meters);
            RpcServer server = RpcServer.create(pricing, Target.topic(topic).withServer("pricing-1").withExchange(exchange),
                    List.of(new Pricing()), RpcServerOptions.builder().rpcPingEnabled(true).build());
            server.start();
            RpcClient client = RpcClient.create(shop, Target.topic(topic).withExchange(exchange), RpcClientOptions.builder().timeout(WAIT).build());
            BlockingQueue<Integer> prices = new LinkedBlockingQueue<>();
            Consumer consumer = shop.consumer(ConsumerOptions.builder().queue(Queue.named(queue)).build(), message -> {
                int quantity = message.payload(Integer.class);
                prices.add(client.call(Context.empty(), "price", Map.of("quantity", quantity), Integer.class));
                message.ack();
            });
            consumer.start();
            try {
                String pong = client.ping();
                Span checkout = tracer.nextSpan().name("checkout").start();
                try (Tracer.SpanInScope scope = tracer.withSpan(checkout)) {
                    shop.producer().publish(6, Publish.toQueue(queue));
                } finally {
                    checkout.end();
                }
                Integer price = prices.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                String trace = checkout.context().traceId();
                // The handler's span and the server's end on their own threads: wait for both.
                List<SpanData> traced = spans.await(trace, found -> found.stream().anyMatch(s -> s.getName().startsWith("process"))
                        && found.stream().anyMatch(s -> s.getKind() == io.opentelemetry.api.trace.SpanKind.SERVER));
                printMeters(meters);
                printTrace(traced, trace);
                return check(pong, price, traced, meters);
            } finally {
                consumer.stop();
                server.stop();
                shop.deleteQueue(queue);
                server.queueNames().forEach(pricing::deleteQueue);
                if (names.throwAway()) {
                    pricing.deleteExchange(exchange, false);
                }
            }
        }
    }

    private Check check(String pong, Integer price, List<SpanData> traced, MeterRegistry meters) {
        SpanData checkout = find(traced, "checkout");
        SpanData publish = traced.stream().filter(s -> s.getName().startsWith("publish")
                && checkout != null && s.getParentSpanId().equals(checkout.getSpanId())).findFirst().orElse(null);
        SpanData process = traced.stream().filter(s -> s.getName().startsWith("process")).findFirst().orElse(null);
        SpanData call = traced.stream().filter(s -> s.getKind() == io.opentelemetry.api.trace.SpanKind.CLIENT)
                .findFirst().orElse(null);
        SpanData served = traced.stream().filter(s -> s.getKind() == io.opentelemetry.api.trace.SpanKind.SERVER)
                .findFirst().orElse(null);
        boolean linked = publish != null && process != null && call != null && served != null
                && process.getParentSpanId().equals(publish.getSpanId())
                && call.getParentSpanId().equals(process.getSpanId())
                && served.getParentSpanId().equals(call.getSpanId());
        double calls = meters.find("seedmq.rpc.client").tag("outcome", "result").timers().stream()
                .mapToLong(t -> t.count()).sum();
        double open = meters.get("seedmq.connection.state").tag("state", "open").gauge().value();
        String summary = "ping=" + pong + " price=" + price + ", " + traced.size() + " spans in one trace, "
                + (linked ? "publish>process>call>server linked" : "links broken") + ", rpc calls " + (long) calls;
        boolean ok = "pong".equals(pong) && Integer.valueOf(42).equals(price) && linked && calls >= 2 && open == 1.0;
        return ok ? Check.pass(summary) : Check.fail(summary);
    }

    private static SpanData find(List<SpanData> spans, String name) {
        return spans.stream().filter(s -> s.getName().equals(name)).findFirst().orElse(null);
    }

    private void printMeters(MeterRegistry meters) {
        out.println("  meters:");
        meters.getMeters().stream().filter(m -> m.getId().getName().startsWith("seedmq"))
                .sorted(Comparator.comparing((Meter m) -> m.getId().getName()).thenComparing(m -> m.getId().getTags().toString()))
                .forEach(m -> {
                    List<String> values = new ArrayList<>();
                    m.measure().forEach(v -> values.add(v.getStatistic().name().toLowerCase() + "=" + v.getValue()));
                    out.println("    " + m.getId().getName() + m.getId().getTags() + " " + values);
                });
    }

    private void printTrace(List<SpanData> spans, String trace) {
        out.println("  spans of trace " + trace + ":");
        spans.stream().sorted(Comparator.comparingLong(SpanData::getStartEpochNanos)).forEach(s -> out.println(
                "    " + s.getName() + " [" + s.getKind() + "] span " + s.getSpanId() + " parent " + s.getParentSpanId()));
    }

    @Override
    public int runRole(String url, String role, List<String> args) {
        throw new IllegalArgumentException("observability has no roles: it runs in this process only");
    }

    /** Keeps finished spans in memory; a reader waits for the span it needs instead of sleeping. */
    private static final class MemorySpans implements SpanExporter {
        private final List<SpanData> finished = new ArrayList<>();

        @Override
        public synchronized CompletableResultCode export(Collection<SpanData> spans) {
            finished.addAll(spans);
            notifyAll();
            return CompletableResultCode.ofSuccess();
        }

        /** @return the trace's finished spans, once they satisfy {@code complete} (or after the wait, whatever came) */
        synchronized List<SpanData> await(String trace, Predicate<List<SpanData>> complete) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            List<SpanData> found = of(trace);
            while (!complete.test(found) && System.nanoTime() < deadline) {
                wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                found = of(trace);
            }
            return found;
        }

        private List<SpanData> of(String trace) {
            return finished.stream().filter(s -> s.getTraceId().equals(trace)).toList();
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
