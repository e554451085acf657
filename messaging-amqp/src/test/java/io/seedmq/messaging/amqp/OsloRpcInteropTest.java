package io.seedmq.messaging.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.seedmq.messaging.Connection;
import io.seedmq.messaging.amqp.test.PythonPeer;
import io.seedmq.messaging.oslo.Context;
import io.seedmq.messaging.oslo.OsloTopology;
import io.seedmq.messaging.rpc.NoSuchRpcMethodException;
import io.seedmq.messaging.rpc.RemoteException;
import io.seedmq.messaging.rpc.RpcClient;
import io.seedmq.messaging.rpc.RpcClientOptions;
import io.seedmq.messaging.rpc.RpcCast;
import io.seedmq.messaging.rpc.RpcEndpoint;
import io.seedmq.messaging.rpc.RpcMethod;
import io.seedmq.messaging.rpc.RpcServer;
import io.seedmq.messaging.rpc.RpcServerOptions;
import io.seedmq.messaging.rpc.Target;
import io.seedmq.messaging.rpc.UnsupportedVersionException;
import io.seedmq.messaging.rpc.VersionCapException;
import io.seedmq.messaging.serialization.JsonSerializer;
import io.seedmq.messaging.test.BrokerKind;
import io.seedmq.messaging.test.SeedmqTest;
import io.seedmq.messaging.test.TestBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * seedmq's RPC and Python's oslo.messaging (Debian's {@code python3-oslo.messaging}, rabbit driver)
 * on one RabbitMQ, each calling the other every way: call, cast, server-targeted, fanout, a
 * failing method, an unknown method, a version mismatch, bad arguments.
 */
@SeedmqTest(broker = BrokerKind.RABBITMQ)
@DisplayName("Interoperability with oslo.messaging RPC")
class OsloRpcInteropTest {

    /** What the Python caller calls, as a Java interface: a server made from it serves exactly these. */
    public interface CalculatorApi {
        int add(int x, int y);

        JsonNode echo(JsonNode value);

        Map<String, Object> context(Context ctx);

        void note(String text);

        String whoami();

        void fail(String message);
    }

    /** The Python server's endpoints, as a seedmq proxy calls them. */
    public interface PythonCalculator {
        int add(int x, int y);

        CompletableFuture<Long> fib(int n);

        JsonNode echo(JsonNode value);

        Map<String, Object> context(Context ctx);

        @RpcCast
        void test(Context ctx);

        @RpcCast
        void note(String text);

        void fail(String message);

        String noSuchMethod();
    }

    /** The Python server's versioned endpoint; version 1.4 is a method Python does not have yet. */
    @RpcEndpoint(namespace = "billing", version = "1.3")
    public interface PythonBilling {
        String version();

        @RpcMethod(value = "version", version = "1.4")
        String versionOfTomorrow();
    }

    /** The seed's endpoints and more, served by seedmq to a Python caller. */
    public static class Calculator implements CalculatorApi {
        final BlockingQueue<String> notes = new LinkedBlockingQueue<>();
        private final String name;

        Calculator(String name) {
            this.name = name;
        }

        @Override
        public int add(int x, int y) {
            return x + y;
        }

        @Override
        public JsonNode echo(JsonNode value) {
            return value;
        }

        @Override
        public Map<String, Object> context(Context ctx) {
            return ctx.asMap();
        }

        @Override
        public void note(String text) {
            notes.add(name + ":" + text);
        }

        @Override
        public String whoami() {
            return name;
        }

        @Override
        public void fail(String message) {
            throw new IllegalArgumentException(message);
        }
    }

    /** A versioned endpoint, as the Python server's. */
    @RpcEndpoint(namespace = "billing", version = "1.3")
    public static class Billing {
        public String version() {
            return "billing-1.3";
        }
    }

    /** oslo.messaging 14.0.3 with an empty {@code [oslo_messaging_rabbit]} section declares as this. */
    private static final RpcServerOptions HISTORICAL_SERVER = RpcServerOptions.builder()
            .topology(OsloTopology.historical()).build();

    private final TestBroker broker;
    private Connection connection;
    private String exchange;
    private String topic;

    OsloRpcInteropTest(TestBroker broker) {
        this.broker = broker;
    }

    @BeforeAll
    static void osloIsInstalled() {
        PythonPeer.require("oslo_messaging", "python3-oslo.messaging");
    }

    @BeforeEach
    void open() {
        connection = Connection.open(broker.options());
        String id = UUID.randomUUID().toString().substring(0, 8);
        exchange = "seedmq-oslo-" + id;
        topic = "seedmq-oslo-rpc-" + id;
    }

    @AfterEach
    void close() {
        for (String q : List.of(topic, topic + ".java-1", topic + ".java-2", topic + ".py-1")) {
            try {
                connection.deleteQueue(q);
            } catch (RuntimeException ignored) {
                // not declared by this test
            }
        }
        try {
            connection.deleteExchange(exchange, false);
        } catch (RuntimeException ignored) {
            // not declared by this test
        }
        connection.close();
    }

    @Test
    @DisplayName("a Python oslo client calls a seedmq server every way and sees oslo's exception types")
    void pythonCallsSeedmq() throws Exception {
        pythonCalls((calculator, server) -> RpcServer.create(connection,
                Target.topic(topic).withServer(server).withExchange(exchange), List.of(calculator, new Billing()),
                HISTORICAL_SERVER), true);
    }

    @Test
    @DisplayName("a Python oslo client calls a seedmq server made from a Java interface, which serves only the interface")
    void pythonCallsTypedServer() throws Exception {
        pythonCalls((calculator, server) -> RpcServer.create(connection,
                Target.topic(topic).withServer(server).withExchange(exchange), CalculatorApi.class, calculator,
                HISTORICAL_SERVER), false);
    }

    private void pythonCalls(BiFunction<Calculator, String, RpcServer> serve, boolean billingServed) throws Exception {
        Calculator one = new Calculator("java-1");
        Calculator two = new Calculator("java-2");
        RpcServer s1 = serve.apply(one, "java-1");
        RpcServer s2 = serve.apply(two, "java-2");
        s1.start();
        s2.start();
        try {
            PythonPeer.Result run = PythonPeer.run(Duration.ofSeconds(90), "oslo_rpc_client.py",
                    PythonPeer.url("rabbit", broker.options()), exchange, topic, "java-2");
            assertEquals(0, run.exitCode(), run.toString());
            Map<String, JsonNode> steps = new HashMap<>();
            for (String line : run.stdout().split("\n")) {
                JsonNode step = JsonSerializer.defaultMapper().readTree(line);
                steps.put(step.get("step").asText(), step);
            }

            assertTrue(steps.get("add").has("result"), run.toString());
            assertEquals(3, steps.get("add").get("result").asInt());
            List<Object> values = Arrays.asList(7, -2.5, "h\u00e9llo \u2713", Arrays.asList(1, "two", null, true),
                    mapOf("a", Map.of("b", List.of(1, 2)), "n", null), null, false, 12345678901234L);
            assertEquals(JsonSerializer.defaultMapper().valueToTree(values), steps.get("echo").get("result"));
            assertEquals("u-py", steps.get("context").get("result").get("user_id").asText());
            assertEquals("req-1", steps.get("context").get("result").get("request_id").asText());
            assertEquals("java-2", steps.get("server").get("result").asText());

            List<String> notes = new ArrayList<>();
            // cast (to one of the two) + server cast (to java-2) + fanout (to both) = 4 notes.
            for (int i = 0; i < 4; i++) {
                String note = one.notes.poll(50, TimeUnit.MILLISECONDS);
                if (note == null) {
                    note = two.notes.poll(10, TimeUnit.SECONDS);
                }
                assertTrue(note != null, "missing notes, got " + notes);
                notes.add(note);
            }
            assertTrue(notes.contains("java-1:fanout from python"), notes.toString());
            assertTrue(notes.contains("java-2:fanout from python"), notes.toString());
            assertTrue(notes.contains("java-2:direct from python"), notes.toString());
            assertTrue(notes.stream().anyMatch(n -> n.endsWith(":cast from python")), notes.toString());

            JsonNode fail = steps.get("fail");
            assertEquals("RemoteError", fail.get("error").asText(), fail.toString());
            assertEquals("IllegalArgumentException", fail.get("exc_type").asText());
            assertEquals("bad value", fail.get("value").asText());
            assertTrue(types(steps.get("missing")).contains("oslo_messaging.rpc.dispatcher.NoSuchMethod"),
                    steps.get("missing").toString());
            if (billingServed) {
                assertEquals("billing-1.3", steps.get("version").get("result").asText());
            } else {
                assertTrue(types(steps.get("version")).contains("oslo_messaging.rpc.dispatcher.UnsupportedVersion"),
                        "no endpoint of namespace billing: " + steps.get("version"));
            }
            assertTrue(types(steps.get("bad_version")).contains("oslo_messaging.rpc.dispatcher.UnsupportedVersion"),
                    steps.get("bad_version").toString());
            assertTrue(types(steps.get("bad_args")).contains("builtins.TypeError"), steps.get("bad_args").toString());
        } finally {
            s1.stop();
            s2.stop();
            for (String q : s1.queueNames()) {
                connection.deleteQueue(q);
            }
            for (String q : s2.queueNames()) {
                connection.deleteQueue(q);
            }
        }
    }

    @Test
    @DisplayName("a seedmq client calls a Python oslo server every way and gets typed failures")
    void seedmqCallsPython() throws Exception {
        try (PythonPeer.Running server = pythonServer()) {
            RpcClient client = client();
            Context ctx = Context.empty().with("user_id", "u-java").with("request_id", "req-java");

            assertEquals(3, client.call(ctx, "add", Map.of("x", 1, "y", 2), Integer.class));
            assertEquals(55L, client.call(ctx, "fib", Map.of("n", 10), Long.class));
            List<Object> values = Arrays.asList(7, -2.5, "h\u00e9llo \u2713", Arrays.asList(1, "two", null, true),
                    mapOf("a", Map.of("b", List.of(1, 2)), "n", null), null, false, 12345678901234L);
            for (Object value : values) {
                assertEquals(JsonSerializer.defaultMapper().valueToTree(value),
                        client.call(ctx, "echo", mapOf("value", value), JsonNode.class));
            }
            Map<String, Object> seen = client.call(ctx, "context", Map.of(), new TypeReference<Map<String, Object>>() { });
            assertEquals("u-java", seen.get("user_id"));
            assertEquals("req-java", seen.get("request_id"));
            assertEquals("py-1", client.prepare().server("py-1").build().call(ctx, "whoami", Map.of(), String.class));

            client.cast(ctx, "test");
            assertTrue(server.awaitLine(l -> l.contains("\"method\": \"test\""), Duration.ofSeconds(15)).contains("py-1"));
            client.prepare().server("py-1").build().cast(ctx, "note", Map.of("text", "direct from java"));
            server.awaitLine(l -> l.contains("direct from java"), Duration.ofSeconds(15));
            client.prepare().fanout(true).build().cast(ctx, "note", Map.of("text", "fanout from java"));
            server.awaitLine(l -> l.contains("fanout from java"), Duration.ofSeconds(15));

            RemoteException fail = assertThrows(RemoteException.class,
                    () -> client.call(ctx, "fail", Map.of("message", "bad value"), Object.class));
            assertEquals("ValueError", fail.remoteClass());
            assertEquals("builtins", fail.remoteModule());
            assertEquals("bad value", fail.remoteMessage());
            assertTrue(String.join("", fail.remoteTraceback()).contains("Traceback"), fail.remoteTraceback().toString());
            assertThrows(NoSuchRpcMethodException.class, () -> client.call(ctx, "no_such_method", Map.of(), Object.class));
            RpcClient billing = client.prepare().namespace("billing").version("1.3").build();
            assertEquals("billing-1.3", billing.call(ctx, "version", Map.of(), String.class));
            assertThrows(UnsupportedVersionException.class,
                    () -> billing.prepare().version("1.4").build().call(ctx, "version", Map.of(), String.class));
            RemoteException badArgs = assertThrows(RemoteException.class,
                    () -> client.call(ctx, "add", Map.of("x", 1), Integer.class));
            assertEquals("TypeError", badArgs.remoteClass());
        }
    }

    @Test
    @DisplayName("a seedmq proxy of a Java interface calls a Python oslo server, with typed results and failures")
    void proxyCallsPython() throws Exception {
        try (PythonPeer.Running server = pythonServer()) {
            RpcClient client = client();
            PythonCalculator calc = client.proxy(PythonCalculator.class);

            assertEquals(3, calc.add(1, 2));
            assertEquals(55L, calc.fib(10).get(15, TimeUnit.SECONDS));
            assertEquals(JsonSerializer.defaultMapper().valueToTree(List.of(1, "two")),
                    calc.echo(JsonSerializer.defaultMapper().valueToTree(List.of(1, "two"))));
            Map<String, Object> seen = calc.context(Context.empty().with("user_id", "u-proxy"));
            assertEquals("u-proxy", seen.get("user_id"));
            calc.test(Context.empty());
            server.awaitLine(l -> l.contains("\"method\": \"test\""), Duration.ofSeconds(15));
            calc.note("cast by proxy");
            server.awaitLine(l -> l.contains("cast by proxy"), Duration.ofSeconds(15));
            RemoteException fail = assertThrows(RemoteException.class, () -> calc.fail("bad value"));
            assertEquals("ValueError", fail.remoteClass());
            assertThrows(NoSuchRpcMethodException.class, calc::noSuchMethod);

            PythonBilling billing = client.proxy(PythonBilling.class);
            assertEquals("billing-1.3", billing.version());
            assertThrows(UnsupportedVersionException.class, billing::versionOfTomorrow,
                    "Python serves 1.3; the proxy sent 1.4");
            PythonBilling capped = client.prepare().versionCap("1.3").build().proxy(PythonBilling.class);
            assertEquals("billing-1.3", capped.version());
            assertThrows(VersionCapException.class, capped::versionOfTomorrow, "checked before sending, as oslo's can_send_version");
        }
    }

    /**
     * The topology options oslo.messaging 14.0.3 has, as a transport URL's query (oslo reads it as
     * overrides of {@code [oslo_messaging_rabbit]}), and as seedmq reads the same settings.
     */
    static List<String> topologies() {
        return List.of("", "amqp_durable_queues=true", "rabbit_quorum_queue=true",
                "rabbit_quorum_queue=true&rabbit_quorum_delivery_limit=5&rabbit_quroum_max_memory_length=1000");
    }

    /** @return the settings of a URL query, as {@link OsloTopology#fromSettings} reads them */
    static Map<String, String> settings(String query) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (!pair.isEmpty()) {
                settings.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
        }
        return settings;
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("topologies")
    @DisplayName("with the same oslo topology options, a Python and seedmq servers share one topic queue (no 406) and calls go both ways")
    void sharedTopicQueue(String query) throws Exception {
        OsloTopology topology = OsloTopology.fromSettings(settings(query));
        String url = PythonPeer.url("rabbit", broker.options()) + (query.isEmpty() ? "" : "?" + query);
        RpcServerOptions options = RpcServerOptions.builder().topology(topology).build();
        List<RpcServer> servers = new ArrayList<>();
        // seedmq declares first, then Python (which dies on a 406), then seedmq again over Python's.
        servers.add(RpcServer.create(connection, Target.topic(topic).withServer("java-1").withExchange(exchange),
                List.of(new Calculator("java-1")), options));
        servers.get(0).start();
        try (PythonPeer.Running python = PythonPeer.start("oslo_rpc_server.py", url, exchange, topic, "py-1")) {
            python.awaitLine(l -> l.contains("\"ready\""), Duration.ofSeconds(60));
            servers.add(RpcServer.create(connection, Target.topic(topic).withServer("java-2").withExchange(exchange),
                    List.of(new Calculator("java-2")), options));
            servers.get(1).start();

            RpcClient client = RpcClient.create(connection, Target.topic(topic).withExchange(exchange),
                    RpcClientOptions.builder().timeout(Duration.ofSeconds(15)).topology(topology).build());
            for (String server : List.of("java-1", "java-2", "py-1")) {
                assertEquals(server, client.prepare().server(server).build().call(Context.empty(), "whoami", Map.of(),
                        String.class));
            }
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 60 && seen.size() < 3; i++) {
                seen.add(client.call(Context.empty(), "whoami", Map.of(), String.class));
            }
            assertEquals(Set.of("java-1", "java-2", "py-1"), seen, "the topic queue is shared by all three");

            PythonPeer.Result run = PythonPeer.run(Duration.ofSeconds(90), "oslo_rpc_whoami.py", url, exchange, topic,
                    "java-1", "java-2", "py-1");
            assertEquals(0, run.exitCode(), run.toString());
            JsonNode answers = JsonSerializer.defaultMapper().readTree(run.stdout());
            for (String server : List.of("java-1", "java-2", "py-1")) {
                assertEquals(server, answers.get("direct").get(server).asText(), run.toString());
                assertTrue(answers.get("topic").toString().contains(server), run.toString());
            }
        } finally {
            for (RpcServer server : servers) {
                server.stop();
                for (String q : server.queueNames()) {
                    connection.deleteQueue(q);
                }
            }
        }
    }

    /** The Python oslo server {@code py-1} on this test's exchange and topic, once it listens. */
    private PythonPeer.Running pythonServer() throws Exception {
        PythonPeer.Running server = PythonPeer.start("oslo_rpc_server.py",
                PythonPeer.url("rabbit", broker.options()), exchange, topic, "py-1");
        server.awaitLine(l -> l.contains("\"ready\""), Duration.ofSeconds(60));
        return server;
    }

    private RpcClient client() {
        return RpcClient.create(connection, Target.topic(topic).withExchange(exchange),
                RpcClientOptions.builder().timeout(Duration.ofSeconds(15)).topology(OsloTopology.historical()).build());
    }

    private static List<String> types(JsonNode step) {
        List<String> out = new ArrayList<>();
        step.path("types").forEach(t -> out.add(t.asText()));
        return out;
    }

    private static Map<String, Object> mapOf(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
