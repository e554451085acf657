package io.seedmq.messaging.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.seedmq.messaging.Connection;
import io.seedmq.messaging.amqp.test.PythonPeer;
import io.seedmq.messaging.observation.Telemetry;
import io.seedmq.messaging.oslo.Context;
import io.seedmq.messaging.oslo.OsloTopology;
import io.seedmq.messaging.rpc.RpcClient;
import io.seedmq.messaging.rpc.RpcClientOptions;
import io.seedmq.messaging.rpc.RpcServer;
import io.seedmq.messaging.rpc.RpcServerOptions;
import io.seedmq.messaging.rpc.Target;
import io.seedmq.messaging.test.BrokerKind;
import io.seedmq.messaging.test.SeedmqTest;
import io.seedmq.messaging.test.TestBroker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * oslo's RPC ping with Debian's oslo.messaging both ways, and a trace crossing a Python oslo
 * service: a seedmq client calls a Python server whose method calls a seedmq server.
 */
@SeedmqTest(broker = BrokerKind.RABBITMQ)
@DisplayName("Observability with oslo.messaging: RPC ping and traces across a Python service")
class OsloObservabilityInteropTest {

    /** The seedmq server's endpoint. */
    public static class Adder {
        public int add(int x, int y) {
            return x + y;
        }
    }

    private final TestBroker broker;
    private Telemetry telemetry;
    private Connection connection;
    private String exchange;
    private String topic;

    OsloObservabilityInteropTest(TestBroker broker) {
        this.broker = broker;
    }

    @BeforeAll
    static void osloIsInstalled() {
        PythonPeer.require("oslo_messaging", "python3-oslo.messaging");
    }

    @BeforeEach
    void open() {
        telemetry = new Telemetry();
        connection = Connection.open(broker.options().toBuilder().connectionName("seedmq-oslo-observability")
                .observationRegistry(telemetry.registry).build());
        String id = UUID.randomUUID().toString().substring(0, 8);
        exchange = "seedmq-obs-" + id;
        topic = "seedmq-obs-topic-" + id;
    }

    @AfterEach
    void close() {
        connection.close();
        telemetry.close();
    }

    private RpcServer serve(String onTopic, RpcServerOptions options) {
        RpcServer server = RpcServer.create(connection, Target.topic(onTopic).withServer("java-1").withExchange(exchange),
                List.of(new Adder()), options.toBuilder().topology(OsloTopology.historical()).build());
        server.start();
        return server;
    }

    private void stop(RpcServer server) {
        server.stop(Duration.ofSeconds(5));
        server.queueNames().forEach(connection::deleteQueue);
    }

    @Test
    @DisplayName("a seedmq client pings a Python oslo server started with rpc_ping_enabled and gets pong")
    void seedmqPingsPython() throws Exception {
        try (PythonPeer.Running server = PythonPeer.start("oslo_rpc_server.py",
                PythonPeer.url("rabbit", broker.options()), exchange, topic, "py-1", "ping")) {
            server.awaitLine(l -> l.contains("\"ready\""), Duration.ofSeconds(60));
            RpcClient client = RpcClient.create(connection, Target.topic(topic).withExchange(exchange),
                    RpcClientOptions.builder().timeout(Duration.ofSeconds(15)).topology(OsloTopology.historical())
                            .build());
            assertEquals("pong", client.ping());
        }
    }

    @Test
    @DisplayName("a Python oslo client pings a seedmq server with rpcPingEnabled and gets pong, and NoSuchMethod without")
    void pythonPingsSeedmq() throws Exception {
        RpcServer server = serve(topic, RpcServerOptions.builder().rpcPingEnabled(true).build());
        RpcServer plain = serve(topic + "-plain", RpcServerOptions.defaults());
        try {
            PythonPeer.Result pong = PythonPeer.run(Duration.ofSeconds(60), "oslo_rpc_ping.py",
                    PythonPeer.url("rabbit", broker.options()), exchange, topic);
            assertEquals("{\"result\": \"pong\"}", pong.stdout().strip(), pong.toString());
            PythonPeer.Result refused = PythonPeer.run(Duration.ofSeconds(60), "oslo_rpc_ping.py",
                    PythonPeer.url("rabbit", broker.options()), exchange, topic + "-plain");
            // oslo raises its NoSuchMethod rebuilt as NoSuchMethod_Remote, as for any remote exception.
            assertTrue(refused.stdout().strip().startsWith("{\"error\": \"NoSuchMethod"), refused.toString());
        } finally {
            stop(server);
            stop(plain);
        }
    }

    @Test
    @DisplayName("the trace context survives a Python oslo service that passes its context on, and is lost when it rebuilds an oslo.context RequestContext")
    void traceAcrossPython() throws Exception {
        String last = topic + "-last";
        RpcServer adder = serve(last, RpcServerOptions.defaults());
        try (PythonPeer.Running relay = PythonPeer.start("oslo_rpc_relay.py",
                PythonPeer.url("rabbit", broker.options()), exchange, topic, "py-relay", last)) {
            relay.awaitLine(l -> l.contains("ready"), Duration.ofSeconds(60));
            RpcClient client = RpcClient.create(connection, Target.topic(topic).withExchange(exchange),
                    RpcClientOptions.builder().timeout(Duration.ofSeconds(15)).topology(OsloTopology.historical())
                            .build());
            Context ctx = Context.empty().with("request_id", "req-trace");
            assertEquals(5, client.call(ctx, "relay", Map.of("x", 2, "y", 3), Integer.class));
            assertEquals(9, client.call(ctx, "relay_request_context", Map.of("x", 4, "y", 5), Integer.class));
            telemetry.awaitStopped("seedmq.rpc.server", 2, Duration.ofSeconds(15));
            SpanData passedOn = clientSpan("relay");
            SpanData rebuilt = clientSpan("relay_request_context");
            List<SpanData> served = telemetry.spans(last + "/add");
            assertEquals(2, served.size());
            SpanData first = served.get(0);
            SpanData second = served.get(1);
            assertEquals(passedOn.getTraceId(), first.getTraceId(), "one trace across the Python service");
            assertEquals(passedOn.getSpanId(), first.getParentSpanId(),
                    "the Python service adds no span: the seedmq server continues the seedmq caller's");
            assertNotEquals(rebuilt.getTraceId(), second.getTraceId(),
                    "RequestContext.from_dict keeps only the fields it knows, so traceparent is dropped");
            assertTrue(!second.getParentSpanContext().isValid(), "the second server span starts a trace of its own");
        } finally {
            stop(adder);
            connection.deleteQueue(topic);
            connection.deleteQueue(topic + ".py-relay");
        }
    }

    private SpanData clientSpan(String method) {
        return telemetry.spans(topic + "/" + method).stream().filter(s -> s.getKind() == SpanKind.CLIENT)
                .findFirst().orElseThrow();
    }
}
