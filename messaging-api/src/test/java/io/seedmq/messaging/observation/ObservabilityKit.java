package io.seedmq.messaging.observation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.seedmq.messaging.AckMode;
import io.seedmq.messaging.Connection;
import io.seedmq.messaging.ConnectionListener;
import io.seedmq.messaging.ConnectionOptions;
import io.seedmq.messaging.Consumer;
import io.seedmq.messaging.ConsumerOptions;
import io.seedmq.messaging.ConsumerWorker;
import io.seedmq.messaging.Exchange;
import io.seedmq.messaging.Lifecycle;
import io.seedmq.messaging.Message;
import io.seedmq.messaging.MessageHandler;
import io.seedmq.messaging.Publish;
import io.seedmq.messaging.Queue;
import io.seedmq.messaging.UndeliverableException;
import io.seedmq.messaging.notify.Notification;
import io.seedmq.messaging.notify.NotificationEndpoint;
import io.seedmq.messaging.notify.NotificationListener;
import io.seedmq.messaging.notify.NotificationResult;
import io.seedmq.messaging.notify.NotificationTarget;
import io.seedmq.messaging.notify.Notifier;
import io.seedmq.messaging.notify.NotifierOptions;
import io.seedmq.messaging.oslo.Context;
import io.seedmq.messaging.retry.RetryPolicy;
import io.seedmq.messaging.rpc.NoSuchRpcMethodException;
import io.seedmq.messaging.rpc.RemoteException;
import io.seedmq.messaging.rpc.RpcClient;
import io.seedmq.messaging.rpc.RpcClientOptions;
import io.seedmq.messaging.rpc.RpcServer;
import io.seedmq.messaging.rpc.RpcServerOptions;
import io.seedmq.messaging.rpc.RpcTimeoutException;
import io.seedmq.messaging.rpc.Target;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * The observability kit: what seedmq observes through Micrometer's Observation API, with
 * Micrometer's test registry (which validates each observation's life cycle), a meter handler,
 * and a real tracer (the OpenTelemetry SDK through Micrometer's bridge, W3C propagation), written
 * once and run by every transport module. Every case checks that each observation was started once
 * and stopped once.
 */
public abstract class ObservabilityKit {

    private Telemetry telemetry;
    private Connection conn;
    private Connection admin;
    private String name;
    private final List<Lifecycle> services = new ArrayList<>();
    private final List<String> queues = new ArrayList<>();

    /** @return how to reach the transport under test; every connection of a case must meet on one broker */
    protected abstract ConnectionOptions connectionOptions();

    /**
     * Drops the connection named so, as a network failure would.
     *
     * @param connectionName the connection's name
     */
    protected abstract void loseConnection(String connectionName) throws Exception;

    /** @return how long to wait for something that must happen */
    protected Duration timeout() {
        return Duration.ofSeconds(10);
    }

    @BeforeEach
    void open() {
        telemetry = new Telemetry();
        name = "seedmq-obs-" + UUID.randomUUID().toString().substring(0, 8);
        conn = observed(name + "-a");
        admin = Connection.open(connectionOptions());
    }

    @AfterEach
    void close() {
        for (Lifecycle service : services) {
            service.stop(Duration.ofSeconds(5));
        }
        conn.close();
        for (String q : queues) {
            try {
                admin.deleteQueue(q);
            } catch (RuntimeException ignored) {
                // gone with its connection
            }
        }
        try {
            admin.deleteExchange(name + "-rpc", false);
        } catch (RuntimeException ignored) {
            // the case lost its connections
        }
        admin.close();
        telemetry.close();
    }

    /**
     * @param topic an RPC topic of the case
     * @return it on the case's own control exchange: a shared broker may hold an "openstack" of
     *     another durability
     */
    private Target rpcTarget(String topic) {
        return Target.topic(topic).withExchange(name + "-rpc");
    }

    private Connection observed(String connectionName) {
        return Connection.open(connectionOptions().toBuilder().connectionName(connectionName)
                .observationRegistry(telemetry.registry).build());
    }

    private String queue(String suffix) {
        String q = name + "-" + suffix;
        admin.declare(Queue.named(q));
        queues.add(q);
        return q;
    }

    private <T extends Lifecycle> T started(T service) {
        services.add(service);
        service.start();
        return service;
    }

    private Consumer consume(Connection on, String queue, MessageHandler handler) {
        return started(on.consumer(ConsumerOptions.builder().queue(Queue.named(queue)).prefetch(1).build(), handler));
    }

    private static String tag(Observation.Context context, MessagingKey key) {
        KeyValue kv = context.getLowCardinalityKeyValue(key.asString());
        return kv == null ? null : kv.getValue();
    }

    private static Map<String, Object> args(Object... kv) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** A payload whose only property cannot be read, so JSON cannot be written. */
    public static final class Unwritable {
        public String getValue() {
            throw new IllegalStateException("not writable");
        }
    }

    /** An RPC endpoint. */
    public static class Calculator {
        final CountDownLatch gate = new CountDownLatch(1);

        public int add(int x, int y) {
            return x + y;
        }

        public int divide(int x, int y) {
            return x / y;
        }

        public String slow(String text) throws InterruptedException {
            gate.await(30, TimeUnit.SECONDS);
            return text;
        }
    }

    @Nested
    @DisplayName("publish")
    class Publishing {

        @Test
        @DisplayName("is one observation until confirmed, tagged by system and exchange, and puts traceparent in the headers")
        void confirmed() throws Exception {
            String q = queue("p");
            conn.producer().publish("hello", Publish.toQueue(q));
            Observation.Context context = telemetry.awaitStopped("seedmq.publish", 1, timeout()).get(0);
            assertEquals("confirmed", tag(context, MessagingKey.OUTCOME));
            assertEquals("publish", tag(context, MessagingKey.MESSAGING_OPERATION));
            assertEquals("amq.default", tag(context, MessagingKey.MESSAGING_DESTINATION), "a queue name is never a tag");
            assertNotNull(tag(context, MessagingKey.MESSAGING_SYSTEM));
            Message m = admin.get(q, AckMode.AUTO).orElseThrow();
            String traceparent = String.valueOf(m.properties().headers().get("traceparent"));
            assertEquals(telemetry.span("publish amq.default").getTraceId(), traceparent.split("-")[1]);
            TestObservationRegistryAssert.assertThat(telemetry.registry)
                    .hasNumberOfObservationsWithNameEqualTo("seedmq.publish", 1)
                    .hasObservationWithNameEqualTo("seedmq.publish").that().hasBeenStarted().hasBeenStopped();
            telemetry.assertEachStartedAndStoppedOnce();
        }

        @Test
        @DisplayName("ends 'returned' when a mandatory message has no route, and 'failed' when it cannot be sent, asynchronously too")
        void returnedAndFailed() throws Exception {
            Exchange lonely = Exchange.direct(name + "-lonely");
            assertThrows(UndeliverableException.class,
                    () -> conn.producer().publish("x", Publish.to(lonely).declare(lonely).routingKey("nowhere").mandatory(true)));
            // A payload that cannot be written fails before it reaches the broker.
            assertThrows(Exception.class, () -> conn.producer().publishAsync(new Unwritable(),
                    Publish.toQueue(name + "-never")).get(timeout().toSeconds(), TimeUnit.SECONDS));
            List<Observation.Context> stopped = telemetry.awaitStopped("seedmq.publish", 2, timeout());
            assertEquals("returned", tag(stopped.get(0), MessagingKey.OUTCOME));
            assertTrue(stopped.get(0).getError() instanceof UndeliverableException);
            assertEquals("failed", tag(stopped.get(1), MessagingKey.OUTCOME));
            assertNotNull(stopped.get(1).getError());
            admin.deleteExchange(lonely.name(), false);
            telemetry.assertEachStartedAndStoppedOnce();
        }
    }

    @Nested
    @DisplayName("handling")
    class Handling {

        @Test
        @DisplayName("a consumer's handler is one observation, child of the publish, with the trace id in the MDC")
        void consumer() throws Exception {
            String q = queue("c");
            BlockingQueue<String> mdc = new LinkedBlockingQueue<>();
            consume(conn, q, m -> {
                mdc.add(String.valueOf(MDC.get("traceId")));
                m.ack();
            });
            conn.producer().publish("hello", Publish.toQueue(q));
            Observation.Context context = telemetry.awaitStopped("seedmq.process", 1, timeout()).get(0);
            assertEquals("consumer", tag(context, MessagingKey.SERVICE));
            assertEquals("false", tag(context, MessagingKey.REDELIVERED));
            assertEquals("process", tag(context, MessagingKey.MESSAGING_OPERATION));
            SpanData publish = telemetry.span("publish amq.default");
            SpanData process = telemetry.span("process amq.default");
            assertEquals(publish.getTraceId(), process.getTraceId());
            assertEquals(publish.getSpanId(), process.getParentSpanId());
            assertEquals(process.getTraceId(), mdc.poll(timeout().toMillis(), TimeUnit.MILLISECONDS));
            assertNull(MDC.get("traceId"), "the test thread's MDC is untouched");
            telemetry.assertEachStartedAndStoppedOnce();
        }

        @Test
        @DisplayName("a redelivered message is a second observation tagged redelivered; a failing handler's records its error and the dead letter")
        void redeliveryAndFailure() throws Exception {
            MessagingMetrics.of(conn).bindTo(telemetry.meters);
            String q = queue("r");
            AtomicInteger deliveries = new AtomicInteger();
            consume(conn, q, m -> {
                int n = deliveries.incrementAndGet();
                if (n == 1) {
                    m.requeue();
                } else if (n == 2) {
                    throw new IllegalStateException("handler failed");
                } else {
                    m.ack();
                }
            });
            conn.producer().publish("again", Publish.toQueue(q));
            List<Observation.Context> stopped = telemetry.awaitStopped("seedmq.process", 2, timeout());
            assertEquals("false", tag(stopped.get(0), MessagingKey.REDELIVERED));
            assertNull(stopped.get(0).getError());
            assertEquals("true", tag(stopped.get(1), MessagingKey.REDELIVERED));
            assertTrue(stopped.get(1).getError() instanceof IllegalStateException);
            MeterRegistry meters = telemetry.meters;
            assertEquals(1.0, meters.get("seedmq.messages.redelivered").functionCounter().count());
            assertEquals(1.0, meters.get("seedmq.messages.dead.lettered").functionCounter().count());
            assertEquals(1, meters.get("seedmq.process").tag("error", "IllegalStateException").timer().count());
            telemetry.assertEachStartedAndStoppedOnce();
        }

        @Test
        @DisplayName("a message refused as poison runs no handler, so no observation, and counts as poison")
        void poison() throws Exception {
            MessagingMetrics.of(conn).bindTo(telemetry.meters);
            String q = queue("x");
            CountDownLatch refused = new CountDownLatch(1);
            started(conn.consumer(ConsumerOptions.builder().queue(Queue.named(q)).accept("json")
                    .onDecodeError((m, e) -> refused.countDown()).build(), Message::ack));
            conn.producer().publish("plain text", Publish.toQueue(q));
            assertTrue(refused.await(timeout().toMillis(), TimeUnit.MILLISECONDS));
            assertEquals(1.0, telemetry.meters.get("seedmq.messages.poison").functionCounter().count());
            assertTrue(telemetry.stopped("seedmq.process").isEmpty());
            telemetry.assertEachStartedAndStoppedOnce();
        }

        @Test
        @DisplayName("a worker's handler is observed as a worker's; the health view lists the worker, not its consumers")
        void worker() throws Exception {
            String q = queue("w");
            ConsumerWorker worker = started(ConsumerWorker.builder(conn)
                    .consume(ConsumerOptions.builder().queue(Queue.named(q)).build(), Message::ack).name("obs-worker").build());
            conn.producer().publish("task", Publish.toQueue(q));
            Observation.Context context = telemetry.awaitStopped("seedmq.process", 1, timeout()).get(0);
            assertEquals("worker", tag(context, MessagingKey.SERVICE));
            ConnectionHealth health = conn.health();
            assertEquals(List.of(new ConnectionHealth.Service(ConnectionHealth.Kind.WORKER, "obs-worker",
                    Lifecycle.State.RUNNING)), health.services());
            assertTrue(health.isReady());
            worker.stop();
            assertEquals(List.of(), conn.health().services());
            telemetry.assertEachStartedAndStoppedOnce();
        }

        @Test
        @DisplayName("a handler running when the connection is lost is stopped once; the loss is counted and the health view shows it")
        void connectionLoss() throws Exception {
            MessagingMetrics.of(conn).bindTo(telemetry.meters);
            String q = queue("l");
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            BlockingQueue<ConnectionHealth> lost = new LinkedBlockingQueue<>();
            conn.addListener(new ConnectionListener() {
                @Override
                public void onConnectionLost(Throwable cause) {
                    // The health view changes before the application's listeners hear of a change.
                    lost.add(conn.health());
                }
            });
            consume(conn, q, m -> {
                running.countDown();
                release.await(timeout().toMillis(), TimeUnit.MILLISECONDS);
                m.ack();
            });
            conn.producer().publish("in flight", Publish.toQueue(q));
            assertTrue(running.await(timeout().toMillis(), TimeUnit.MILLISECONDS));
            loseConnection(name + "-a");
            ConnectionHealth whenLost = lost.poll(timeout().toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(whenLost);
            assertEquals(ConnectionHealth.Status.RECOVERING, whenLost.status());
            assertFalse(whenLost.isReady());
            release.countDown();
            telemetry.awaitStopped("seedmq.process", 1, timeout());
            // A transport may run more than one broker connection under one seedmq connection (RabbitMQ:
            // one to publish, one to consume), and each loss is reported.
            assertTrue(telemetry.meters.get("seedmq.connection.losses").functionCounter().count() >= 1);
            // The message may be redelivered after the recovery and handled again: that handling too
            // is started and stopped once, whenever it runs.
            telemetry.awaitAllStopped(timeout());
            telemetry.assertEachStartedAndStoppedOnce();
        }
    }

    @Nested
    @DisplayName("RPC")
    class Rpc {

        private RpcClient client(Duration timeout) {
            return RpcClient.create(conn, rpcTarget(name), RpcClientOptions.builder().timeout(timeout).build());
        }

        private final Calculator calculator = new Calculator();

        private RpcServer serve(RpcServerOptions options) {
            RpcServer server = RpcServer.create(conn, rpcTarget(name).withServer("s1"), List.of(calculator), options);
            started(server);
            queues.addAll(server.queueNames());
            return server;
        }

        @Test
        @DisplayName("a call is a client observation with its outcome: result, remote error by class, timeout, undeliverable")
        void outcomes() throws Exception {
            serve(RpcServerOptions.defaults());
            assertEquals(3, client(timeout()).call(Context.empty(), "add", args("x", 1, "y", 2), Integer.class));
            RemoteException remote = assertThrows(RemoteException.class,
                    () -> client(timeout()).call(Context.empty(), "divide", args("x", 1, "y", 0), Integer.class));
            assertThrows(RpcTimeoutException.class,
                    () -> client(Duration.ofMillis(300)).call(Context.empty(), "slow", args("text", "t"), String.class));
            calculator.gate.countDown();
            RpcClient unroutable = RpcClient.create(conn, rpcTarget(name + "-nobody"),
                    RpcClientOptions.builder().timeout(timeout()).failIfUnroutable(true).build());
            assertThrows(UndeliverableException.class,
                    () -> unroutable.call(Context.empty(), "add", args("x", 1, "y", 2), Integer.class));
            List<Observation.Context> calls = telemetry.awaitStopped("seedmq.rpc.client", 4, timeout());
            assertEquals(List.of("result", "remote_error", "timeout", "undeliverable"),
                    calls.stream().map(c -> tag(c, MessagingKey.OUTCOME)).toList());
            assertEquals(List.of("none", remote.remoteClass(), "none", "none"),
                    calls.stream().map(c -> tag(c, MessagingKey.ERROR_TYPE)).toList());
            assertEquals("add", tag(calls.get(0), MessagingKey.RPC_METHOD));
            assertEquals(name, tag(calls.get(0), MessagingKey.RPC_SERVICE));
            List<Observation.Context> served = telemetry.awaitStopped("seedmq.rpc.server", 2, timeout());
            assertEquals("add", tag(served.get(0), MessagingKey.RPC_METHOD));
            assertTrue(served.get(1).getError() instanceof ArithmeticException, "the method's failure is the server's error");
            SpanData call = telemetry.spans(name + "/add").stream()
                    .filter(s -> s.getKind() == io.opentelemetry.api.trace.SpanKind.CLIENT).findFirst().orElseThrow();
            SpanData server = telemetry.spans(name + "/add").stream()
                    .filter(s -> s.getKind() == io.opentelemetry.api.trace.SpanKind.SERVER).findFirst().orElseThrow();
            assertEquals(call.getSpanId(), server.getParentSpanId(), "the server continues the caller's span");
            assertEquals(call.getTraceId(), server.getTraceId());
        }

        @Test
        @DisplayName("an unknown method is tagged _OTHER on the server, so a caller cannot grow the tag set")
        void unknownMethod() throws Exception {
            serve(RpcServerOptions.defaults());
            assertThrows(NoSuchRpcMethodException.class,
                    () -> client(timeout()).call(Context.empty(), "no_such_" + UUID.randomUUID(), Map.of(), Object.class));
            Observation.Context served = telemetry.awaitStopped("seedmq.rpc.server", 1, timeout()).get(0);
            assertEquals("_OTHER", tag(served, MessagingKey.RPC_METHOD));
            telemetry.awaitStopped("seedmq.rpc.client", 1, timeout());
        }

        @Test
        @DisplayName("oslo's ping: a server with rpcPingEnabled answers pong, one without raises NoSuchMethod")
        void ping() {
            serve(RpcServerOptions.builder().rpcPingEnabled(true).build());
            assertEquals("pong", client(timeout()).ping());
            RpcServer plain = RpcServer.create(conn, rpcTarget(name + "-plain").withServer("s1"), List.of(new Calculator()));
            started(plain);
            queues.addAll(plain.queueNames());
            RpcClient toPlain = RpcClient.create(conn, rpcTarget(name + "-plain"),
                    RpcClientOptions.builder().timeout(timeout()).build());
            assertThrows(NoSuchRpcMethodException.class, toPlain::ping);
        }

        @Test
        @DisplayName("the health view lists the RPC server while it runs, and a consumer that failed until it is stopped")
        void health() throws Exception {
            RpcServer server = serve(RpcServerOptions.defaults());
            String q = queue("h");
            conn.declare(Queue.named(q));
            // One that does not declare its queue, and tries once to subscribe again: it fails when the queue goes.
            Consumer consumer = started(conn.consumer(ConsumerOptions.builder().queue(Queue.named(q)).declare(false)
                    .retryPolicy(RetryPolicy.none()).build(), Message::ack));
            ConnectionHealth health = conn.health();
            assertEquals(ConnectionHealth.Status.OPEN, health.status());
            assertEquals(List.of(ConnectionHealth.Kind.RPC_SERVER, ConnectionHealth.Kind.CONSUMER),
                    health.services().stream().map(ConnectionHealth.Service::kind).toList());
            assertTrue(health.isReady());
            CountDownLatch failed = new CountDownLatch(1);
            consumer.addStateListener((from, to, cause) -> {
                if (to == Lifecycle.State.FAILED) {
                    failed.countDown();
                }
            });
            admin.deleteQueue(q);
            assertTrue(failed.await(timeout().toMillis(), TimeUnit.MILLISECONDS));
            assertFalse(conn.health().isLive());
            consumer.stop();
            server.stop();
            assertEquals(List.of(), conn.health().services());
            assertTrue(conn.health().isReady());
            conn.close();
            assertEquals(ConnectionHealth.Status.CLOSED, conn.health().status());
        }
    }

    @Nested
    @DisplayName("notifications and traces")
    class Traces {

        @Test
        @DisplayName("a notification is a notify observation; the listener continues its trace from the oslo context")
        void notification() throws Exception {
            String exchange = name + "-n";
            BlockingQueue<Notification> got = new LinkedBlockingQueue<>();
            NotificationListener listener = NotificationListener.create(conn, List.of(new NotificationTarget(name, exchange)),
                    List.of(NotificationEndpoint.of(n -> {
                        got.add(n);
                        return NotificationResult.HANDLED;
                    })));
            started(listener);
            queues.addAll(listener.queueNames());
            Notifier notifier = Notifier.create(conn, "obs.host", NotifierOptions.builder().exchange(exchange).topics(name).build());
            notifier.info(Context.empty().with("user_id", "u-1"), "thing.created", Map.of("id", 1));
            Notification n = got.poll(timeout().toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(n);
            assertTrue(n.context().getString("traceparent").isPresent(), "the trace context travels in the oslo context");
            Observation.Context notify = telemetry.awaitStopped("seedmq.notify", 1, timeout()).get(0);
            assertEquals("sent", tag(notify, MessagingKey.OUTCOME));
            assertEquals("info", tag(notify, MessagingKey.NOTIFICATION_PRIORITY));
            Observation.Context process = telemetry.awaitStopped("seedmq.process", 1, timeout()).get(0);
            assertEquals("notification_listener", tag(process, MessagingKey.SERVICE));
            SpanData sent = telemetry.span("notify info");
            SpanData handled = telemetry.span("process " + exchange);
            assertEquals(sent.getSpanId(), handled.getParentSpanId());
            admin.deleteExchange(exchange, false);
            telemetry.assertEachStartedAndStoppedOnce();
        }

        @Test
        @DisplayName("a message and an RPC call made in its handler, across two connections, are one trace with the right parents")
        void oneTrace() throws Exception {
            try (Connection other = observed(name + "-b")) {
                String q = queue("t");
                RpcServer server = RpcServer.create(conn, rpcTarget(name).withServer("s1"), List.of(new Calculator()));
                started(server);
                queues.addAll(server.queueNames());
                RpcClient client = RpcClient.create(other, rpcTarget(name), RpcClientOptions.builder().timeout(timeout()).build());
                BlockingQueue<Integer> sums = new LinkedBlockingQueue<>();
                Consumer consumer = consume(other, q, m -> {
                    sums.add(client.call(Context.empty(), "add", args("x", 20, "y", 22), Integer.class));
                    m.ack();
                });
                io.micrometer.tracing.Span root = telemetry.tracer.nextSpan().name("request").start();
                try (io.micrometer.tracing.Tracer.SpanInScope scope = telemetry.tracer.withSpan(root)) {
                    conn.producer().publish("go", Publish.toQueue(q));
                } finally {
                    root.end();
                }
                assertEquals(42, sums.poll(timeout().toMillis(), TimeUnit.MILLISECONDS));
                telemetry.awaitStopped("seedmq.process", 1, timeout());
                telemetry.awaitStopped("seedmq.rpc.server", 1, timeout());
                consumer.stop();
                SpanData request = telemetry.span("request");
                SpanData publish = telemetry.spans("publish amq.default").stream()
                        .filter(s -> s.getParentSpanId().equals(request.getSpanId())).findFirst().orElseThrow();
                SpanData process = telemetry.span("process amq.default");
                SpanData call = telemetry.spans(name + "/add").stream()
                        .filter(s -> s.getKind() == io.opentelemetry.api.trace.SpanKind.CLIENT).findFirst().orElseThrow();
                SpanData served = telemetry.spans(name + "/add").stream()
                        .filter(s -> s.getKind() == io.opentelemetry.api.trace.SpanKind.SERVER).findFirst().orElseThrow();
                for (SpanData s : List.of(publish, process, call, served)) {
                    assertEquals(request.getTraceId(), s.getTraceId(), s.getName() + " is in the request's trace");
                }
                assertEquals(publish.getSpanId(), process.getParentSpanId(), "the handler continues the publish");
                assertEquals(process.getSpanId(), call.getParentSpanId(), "the call is made inside the handler");
                assertEquals(call.getSpanId(), served.getParentSpanId(), "the server continues the call");
            }
            telemetry.assertEachStartedAndStoppedOnce();
        }

        @Test
        @DisplayName("without a registry nothing is observed and no trace header is added")
        void noRegistry() {
            String q = queue("n");
            try (Connection plain = Connection.open(connectionOptions())) {
                plain.producer().publish("plain", Publish.toQueue(q));
            }
            Optional<Message> m = admin.get(q, AckMode.AUTO);
            assertTrue(m.isPresent());
            assertFalse(m.get().properties().headers().containsKey("traceparent"));
            assertEquals("plain", new String(m.get().body(), StandardCharsets.UTF_8));
            assertTrue(telemetry.stopped("seedmq.publish").isEmpty());
        }
    }
}
