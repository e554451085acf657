package io.seedmq.messaging.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.seedmq.messaging.Connection;
import io.seedmq.messaging.ConnectionOptions;
import io.seedmq.messaging.Exchange;
import io.seedmq.messaging.Lifecycle;
import io.seedmq.messaging.Publish;
import io.seedmq.messaging.UndeliverableException;
import io.seedmq.messaging.internal.DefaultConnection;
import io.seedmq.messaging.oslo.Context;
import io.seedmq.messaging.oslo.OsloTopology;
import io.seedmq.messaging.oslo.internal.OsloCodec;
import io.seedmq.messaging.oslo.internal.OsloDeclarations;
import io.seedmq.messaging.rpc.internal.ReplyWaiter;
import io.seedmq.messaging.serialization.JsonSerializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The RPC behaviour kit: oslo.messaging's RPC semantics through seedmq's client and server,
 * written once and run by every transport module (as the conformance kit is). A subclass says how
 * to connect; every case gets a fresh connection, a unique topic and is cleaned up after.
 */
public abstract class RpcKit {

    /** A structured argument and result. */
    public record Order(String id, int quantity, List<String> items) {
    }

    /** The seed's endpoints and a few more, on the default namespace and version. */
    public static class Calculator {
        private final String name;
        final BlockingQueue<String> casts = new LinkedBlockingQueue<>();
        final BlockingQueue<Context> contexts = new LinkedBlockingQueue<>();
        volatile CountDownLatch gate = new CountDownLatch(0);
        final List<String> runs = new CopyOnWriteArrayList<>();
        final BlockingQueue<String> started = new LinkedBlockingQueue<>();

        public Calculator(String name) {
            this.name = name;
        }

        public int add(int x, int y) {
            return x + y;
        }

        public long fib(int n) {
            long a = 0;
            long b = 1;
            for (int i = 0; i < n; i++) {
                long t = a + b;
                a = b;
                b = t;
            }
            return a;
        }

        public String whoami() {
            return name;
        }

        public void test(String note) {
            casts.add(name + ":" + note);
        }

        public Map<String, Object> echoContext(Context ctx) {
            contexts.add(ctx);
            return ctx.asMap();
        }

        public Order total(List<Order> orders, Optional<String> id) {
            int quantity = orders.stream().mapToInt(Order::quantity).sum();
            List<String> items = new ArrayList<>();
            orders.forEach(o -> items.addAll(o.items()));
            return new Order(id.orElse("total"), quantity, items);
        }

        public List<String> split(String text) {
            return List.of(text.split(","));
        }

        public void nothing() {
        }

        public int divide(int x, int y) {
            return x / y;
        }

        public String slow(String id) throws InterruptedException {
            runs.add(id);
            started.add(id);
            gate.await(30, TimeUnit.SECONDS);
            return id;
        }

        public CompletableFuture<String> later(String text) {
            return CompletableFuture.supplyAsync(() -> text.toUpperCase());
        }

        public String _private() {
            return "never";
        }

        String packagePrivate() {
            return "never";
        }

        @RpcMethod(expected = IllegalArgumentException.class)
        public void refuse(String why) {
            throw new IllegalArgumentException(why);
        }
    }

    /** An endpoint of namespace {@code billing} at version 1.3. */
    @RpcEndpoint(namespace = "billing", version = "1.3")
    public static class BillingV1 {
        public String version() {
            return "billing-1.3";
        }
    }

    /** An endpoint of namespace {@code billing} at version 2.1. */
    @RpcEndpoint(namespace = "billing", version = "2.1")
    public static class BillingV2 {
        public String version() {
            return "billing-2.1";
        }
    }

    /** An endpoint that exposes only what it annotates. */
    public static class Guarded {
        @RpcMethod
        public String open() {
            return "open";
        }

        @RpcMethod("renamed")
        public String internalName() {
            return "renamed";
        }

        public String hidden() {
            return "hidden";
        }
    }

    /** The calculator as a client sees it: calls, asynchronous calls, casts, generics, a context, timeouts. */
    @RpcEndpoint(version = "1.0")
    public interface CalculatorApi {
        int add(int x, int y);

        @RpcMethod("fib")
        CompletableFuture<Long> fibLater(@RpcParam("n") int n);

        List<String> split(String text);

        Order total(List<Order> orders, Optional<String> id);

        Map<String, Object> echoContext(Context ctx);

        @RpcCast
        void test(String note);

        int divide(int x, int y);

        void nothing();

        @RpcTimeout(value = 300, unit = TimeUnit.MILLISECONDS)
        String slow(String id);

        String missing();

        default int addTwice(int x, int y) {
            return add(add(x, y), add(x, y));
        }
    }

    /** What a typed server implements: only these are callable, whatever else the implementation has. */
    @RpcEndpoint(namespace = "typed", version = "1.2")
    public interface Shop {
        Order order(String id, int quantity);

        @RpcMethod(version = "1.4")
        List<String> catalogue(Context ctx);
    }

    /** A shop and one method more, which a typed server must not expose. */
    public static class ShopImpl implements Shop {
        @Override
        public Order order(String id, int quantity) {
            return new Order(id, quantity, List.of());
        }

        @Override
        public List<String> catalogue(Context ctx) {
            return List.of("tea", String.valueOf(ctx.asMap().get("user_id")));
        }

        public String backdoor() {
            return "never";
        }
    }

    /** What a server cannot serve: two methods of one name. */
    public interface Overloaded {
        int add(int x, int y);

        double add(double x, double y);
    }

    private Connection conn;
    private Connection admin;
    private String topic;
    private String exchange;
    private final List<RpcServer> servers = new CopyOnWriteArrayList<>();
    private final Set<String> queues = Collections.synchronizedSet(new HashSet<>());

    /** @return how to reach the transport under test; all connections of a case must meet on one broker */
    protected abstract ConnectionOptions connectionOptions();

    /** @return how long to wait for something that must happen */
    protected Duration timeout() {
        return Duration.ofSeconds(10);
    }

    @BeforeEach
    void open() {
        conn = Connection.open(connectionOptions());
        admin = Connection.open(connectionOptions());
        topic = "seedmq-rpc-kit-" + UUID.randomUUID().toString().substring(0, 8);
        // An exchange of the case's own: a broker shared with other suites may hold an "openstack"
        // of another durability (oslo.messaging 14.0.3 and seedmq 0.1 declared it transient).
        exchange = topic + "-exchange";
    }

    @AfterEach
    void close() {
        for (RpcServer server : servers) {
            server.stop(Duration.ofSeconds(5));
            queues.addAll(server.queueNames());
        }
        conn.close();
        for (String q : queues) {
            try {
                admin.deleteQueue(q);
            } catch (RuntimeException ignored) {
                // already gone
            }
        }
        try {
            admin.deleteExchange(exchange, false);
        } catch (RuntimeException ignored) {
            // never declared
        }
        admin.close();
    }

    /** @return the case's target: its topic on its exchange */
    private Target target() {
        return Target.topic(topic).withExchange(exchange);
    }

    private RpcServer serve(String server, Object... endpoints) {
        return serve(server, RpcServerOptions.defaults(), endpoints);
    }

    private RpcServer serve(String server, RpcServerOptions options, Object... endpoints) {
        RpcServer s = RpcServer.create(conn, target().withServer(server), List.of(endpoints), options);
        servers.add(s);
        s.start();
        return s;
    }

    private <T> RpcServer serve(String server, Class<T> api, T implementation) {
        RpcServer s = RpcServer.create(conn, target().withServer(server), api, implementation);
        servers.add(s);
        s.start();
        return s;
    }

    private RpcClient client() {
        return RpcClient.create(conn, target(), RpcClientOptions.builder().timeout(timeout()).build());
    }

    private static Map<String, Object> args(Object... kv) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private int waiting() {
        return DefaultConnection.of(conn).shared(ReplyWaiter.class, OsloTopology.defaults(), c -> {
            throw new AssertionError("no reply waiter on this connection");
        }).waiting();
    }

    @Nested
    @DisplayName("call")
    class Call {

        @Test
        @DisplayName("returns the method's result bound by parameter name, as the seed's client does")
        void addAndFib() {
            serve("s1", new Calculator("s1"));
            RpcClient client = client();
            assertEquals(3, client.call(Context.empty(), "add", args("x", 1, "y", 2), Integer.class));
            assertEquals(55L, client.call(Context.empty(), "fib", args("n", 10), Long.class));
        }

        @Test
        @DisplayName("binds structured and generic arguments and results through Jackson")
        void structured() {
            serve("s1", new Calculator("s1"));
            RpcClient client = client();
            List<Order> orders = List.of(new Order("a", 2, List.of("x")), new Order("b", 3, List.of("y", "z")));
            Order total = client.call(Context.empty(), "total", args("orders", orders, "id", "sum"), Order.class);
            assertEquals(new Order("sum", 5, List.of("x", "y", "z")), total);
            Order unnamed = client.call(Context.empty(), "total", args("orders", orders), Order.class);
            assertEquals("total", unnamed.id(), "a missing Optional argument is empty");
            List<String> parts = client.call(Context.empty(), "split", args("text", "a,b,c"),
                    new TypeReference<List<String>>() { });
            assertEquals(List.of("a", "b", "c"), parts);
        }

        @Test
        @DisplayName("returns null for a method returning nothing, and replies when an asynchronous method completes")
        void voidAndAsync() {
            serve("s1", new Calculator("s1"));
            RpcClient client = client();
            assertNull(client.call(Context.empty(), "nothing", Map.of(), Object.class));
            assertEquals("LOUD", client.call(Context.empty(), "later", args("text", "loud"), String.class));
        }

        @Test
        @DisplayName("carries the context to the endpoint's leading Context parameter")
        void context() throws Exception {
            Calculator calc = new Calculator("s1");
            serve("s1", calc);
            Context ctx = Context.empty().with("user_id", "u-1").with("roles", List.of("admin"));
            Map<String, Object> echoed = client().call(ctx, "echoContext", Map.of(),
                    new TypeReference<Map<String, Object>>() { });
            assertEquals(Map.of("user_id", "u-1", "roles", List.of("admin")), echoed);
            assertEquals(ctx, calc.contexts.poll(timeout().toMillis(), TimeUnit.MILLISECONDS));
        }

        @Test
        @DisplayName("pipelines many concurrent calls from many threads over one reply queue, leaving no waiter behind")
        void concurrent() throws Exception {
            serve("s1", RpcServerOptions.builder().concurrency(4).build(), new Calculator("s1"));
            RpcClient client = client();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<CompletableFuture<Integer>> results = new ArrayList<>();
                for (int i = 0; i < 400; i++) {
                    int n = i;
                    results.add(CompletableFuture.supplyAsync(
                            () -> client.call(Context.empty(), "add", args("x", n, "y", 1), Integer.class), pool));
                }
                for (int i = 0; i < 200; i++) {
                    results.add(client.callAsync(Context.empty(), "add", args("x", i, "y", 2), Integer.class));
                }
                for (int i = 0; i < 400; i++) {
                    assertEquals(i + 1, results.get(i).get(timeout().toSeconds(), TimeUnit.SECONDS));
                }
                for (int i = 0; i < 200; i++) {
                    assertEquals(i + 2, results.get(400 + i).get(timeout().toSeconds(), TimeUnit.SECONDS));
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(0, waiting(), "every waiter left the table");
        }

        @Test
        @DisplayName("shares one reply queue among all clients of a connection")
        void oneReplyQueue() {
            serve("s1", new Calculator("s1"));
            client().call(Context.empty(), "add", args("x", 1, "y", 1), Integer.class);
            ReplyWaiter first = DefaultConnection.of(conn).shared(ReplyWaiter.class, OsloTopology.defaults(), c -> null);
            RpcClient other = RpcClient.create(conn, target());
            assertEquals(2, other.call(Context.empty(), "add", args("x", 1, "y", 1), Integer.class));
            assertSame(first, DefaultConnection.of(conn).shared(ReplyWaiter.class, OsloTopology.defaults(), c -> null));
        }

        @Test
        @DisplayName("raises RpcTimeoutException when no server answers, and frees the waiter")
        void timesOut() {
            // The topic's queue exists (a server listened once) but nobody consumes it now.
            serve("s1", new Calculator("s1")).stop();
            RpcClient client = client().prepare().timeout(Duration.ofMillis(300)).build();
            RpcTimeoutException e = assertThrows(RpcTimeoutException.class,
                    () -> client.call(Context.empty(), "add", args("x", 1, "y", 2), Integer.class));
            assertEquals("add", e.method());
            assertEquals(Duration.ofMillis(300), e.timeout());
            assertEquals(0, waiting());
        }

        @Test
        @DisplayName("a short timeout fires at its time while a longer call, sent first, still waits; each call fails with its own timeout")
        void timeoutsOfDifferentLengths() throws Exception {
            serve("s1", new Calculator("s1")).stop();
            RpcClient patient = client().prepare().timeout(Duration.ofSeconds(30)).build();
            CompletableFuture<Integer> longCall = patient.callAsync(Context.empty(), "add", args("x", 1, "y", 2), Integer.class);
            RpcClient quick = client().prepare().timeout(Duration.ofMillis(300)).build();
            long start = System.nanoTime();
            RpcTimeoutException first = assertThrows(RpcTimeoutException.class,
                    () -> quick.call(Context.empty(), "add", args("x", 1, "y", 2), Integer.class));
            RpcTimeoutException second = assertThrows(RpcTimeoutException.class,
                    () -> client().prepare().timeout(Duration.ofMillis(200)).build()
                            .call(Context.empty(), "add", args("x", 3, "y", 4), Integer.class));
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos(), "the short calls waited for the long one");
            assertEquals(Duration.ofMillis(300), first.timeout());
            assertEquals(Duration.ofMillis(200), second.timeout());
            assertFalse(longCall.isDone(), "the 30 s call still waits");
            assertEquals(1, waiting());
            longCall.cancel(false);
            assertEquals(0, waiting(), "a cancelled call leaves the table at once");
        }

        @Test
        @DisplayName("drops a reply that comes after the timeout; the next call works")
        void lateReply() throws Exception {
            Calculator calc = new Calculator("s1");
            calc.gate = new CountDownLatch(1);
            serve("s1", calc);
            RpcClient quick = client().prepare().timeout(Duration.ofMillis(300)).build();
            assertThrows(RpcTimeoutException.class, () -> quick.call(Context.empty(), "slow", args("id", "late"), String.class));
            calc.gate.countDown();
            assertEquals(5, client().call(Context.empty(), "add", args("x", 2, "y", 3), Integer.class));
            assertEquals(0, waiting());
        }

        @Test
        @DisplayName("fails fast with UndeliverableException when asked to and nothing is bound to the target")
        void failFast() {
            RpcClient client = RpcClient.create(conn, target(),
                    RpcClientOptions.builder().timeout(Duration.ofSeconds(30)).failIfUnroutable(true).build());
            long start = System.nanoTime();
            assertThrows(UndeliverableException.class,
                    () -> client.call(Context.empty(), "add", args("x", 1, "y", 2), Integer.class));
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(15).toNanos(), "did not wait out the timeout");
            assertThrows(UndeliverableException.class, () -> client.cast(Context.empty(), "test", args("note", "x")));
            assertEquals(0, waiting());
        }

        @Test
        @DisplayName("refuses a call to a fanout target and a request without a topic")
        void invalidTargets() {
            RpcClient fanout = client().prepare().fanout(true).build();
            assertThrows(InvalidTargetException.class, () -> fanout.call(Context.empty(), "add", Map.of(), Integer.class));
            RpcClient noTopic = RpcClient.create(conn, Target.empty());
            assertThrows(InvalidTargetException.class, () -> noTopic.cast(Context.empty(), "add"));
            assertThrows(InvalidTargetException.class,
                    () -> RpcServer.create(conn, target(), List.of(new Calculator("x"))));
        }

        @Test
        @DisplayName("refuses to send a version above the cap, and says so through canSendVersion")
        void versionCap() {
            RpcClient capped = RpcClient.create(conn, target().withVersion("1.5"),
                    RpcClientOptions.builder().versionCap("1.4").build());
            assertFalse(capped.canSendVersion());
            assertTrue(capped.canSendVersion("1.4"));
            assertTrue(capped.canSendVersion("1.0"));
            assertFalse(capped.canSendVersion("2.0"));
            assertThrows(VersionCapException.class, () -> capped.cast(Context.empty(), "add"));
            assertThrows(VersionCapException.class, () -> capped.call(Context.empty(), "add", Map.of(), Integer.class));
        }
    }

    @Nested
    @DisplayName("cast and targeting")
    class Cast {

        @Test
        @DisplayName("a cast runs the method without waiting for a result")
        void cast() throws Exception {
            Calculator calc = new Calculator("s1");
            serve("s1", calc);
            client().cast(Context.empty(), "test", args("note", "hello"));
            assertEquals("s1:hello", calc.casts.poll(timeout().toMillis(), TimeUnit.MILLISECONDS));
        }

        @Test
        @DisplayName("a call or cast aimed at one server reaches that server only")
        void serverTargeted() throws Exception {
            Calculator one = new Calculator("s1");
            Calculator two = new Calculator("s2");
            serve("s1", one);
            serve("s2", two);
            RpcClient toTwo = client().prepare().server("s2").build();
            for (int i = 0; i < 10; i++) {
                assertEquals("s2", toTwo.call(Context.empty(), "whoami", Map.of(), String.class));
            }
            toTwo.cast(Context.empty(), "test", args("note", "direct"));
            assertEquals("s2:direct", two.casts.poll(timeout().toMillis(), TimeUnit.MILLISECONDS));
            // A call after the cast, served by s2, proves the cast was not left for s1 to take.
            toTwo.call(Context.empty(), "whoami", Map.of(), String.class);
            assertTrue(one.casts.isEmpty());
        }

        @Test
        @DisplayName("a fanout cast reaches every server of the topic")
        void fanout() throws Exception {
            Calculator one = new Calculator("s1");
            Calculator two = new Calculator("s2");
            serve("s1", one);
            serve("s2", two);
            client().prepare().fanout(true).build().cast(Context.empty(), "test", args("note", "all"));
            assertEquals("s1:all", one.casts.poll(timeout().toMillis(), TimeUnit.MILLISECONDS));
            assertEquals("s2:all", two.casts.poll(timeout().toMillis(), TimeUnit.MILLISECONDS));
        }

        @Test
        @DisplayName("calls to the topic are shared among its servers")
        void shared() {
            serve("s1", new Calculator("s1"));
            serve("s2", new Calculator("s2"));
            RpcClient client = client();
            Set<String> answered = new HashSet<>();
            for (int i = 0; i < 40 && answered.size() < 2; i++) {
                answered.add(client.call(Context.empty(), "whoami", Map.of(), String.class));
            }
            assertEquals(Set.of("s1", "s2"), answered);
        }
    }

    @Nested
    @DisplayName("dispatch")
    class Dispatch {

        @Test
        @DisplayName("an unknown method raises NoSuchRpcMethodException; private, underscore and Object methods are unknown")
        void noSuchMethod() {
            serve("s1", new Calculator("s1"));
            RpcClient client = client();
            for (String method : List.of("missing", "_private", "packagePrivate", "toString", "hashCode", "getClass", "wait")) {
                NoSuchRpcMethodException e = assertThrows(NoSuchRpcMethodException.class,
                        () -> client.call(Context.empty(), method, Map.of(), Object.class), method);
                assertEquals("NoSuchMethod", e.remoteClass());
                assertEquals("oslo_messaging.rpc.dispatcher", e.remoteModule());
            }
        }

        @Test
        @DisplayName("namespace and version choose the endpoint: same major, minor not above")
        void versions() {
            serve("s1", new Calculator("s1"), new BillingV1(), new BillingV2());
            RpcClient billing = client().prepare().namespace("billing").build();
            assertEquals("billing-1.3", billing.prepare().version("1.0").build().call(Context.empty(), "version", Map.of(), String.class));
            assertEquals("billing-1.3", billing.prepare().version("1.3").build().call(Context.empty(), "version", Map.of(), String.class));
            assertEquals("billing-2.1", billing.prepare().version("2.0").build().call(Context.empty(), "version", Map.of(), String.class));
            assertThrows(UnsupportedVersionException.class,
                    () -> billing.prepare().version("1.4").build().call(Context.empty(), "version", Map.of(), String.class));
            assertThrows(UnsupportedVersionException.class,
                    () -> billing.prepare().version("3.0").build().call(Context.empty(), "version", Map.of(), String.class));
            assertThrows(UnsupportedVersionException.class,
                    () -> client().prepare().namespace("other").build().call(Context.empty(), "add", Map.of(), Integer.class));
            assertThrows(NoSuchRpcMethodException.class,
                    () -> billing.prepare().version("1.1").build().call(Context.empty(), "add", args("x", 1, "y", 1), Integer.class));
            assertEquals(2, client().prepare().version("1.0").build().call(Context.empty(), "add", args("x", 1, "y", 1), Integer.class));
        }

        @Test
        @DisplayName("the first matching endpoint wins")
        void firstWins() {
            serve("s1", new Calculator("first"), new Calculator("second"));
            assertEquals("first", client().call(Context.empty(), "whoami", Map.of(), String.class));
        }

        @Test
        @DisplayName("with the annotated access policy only @RpcMethod methods are callable, under their given name")
        void annotatedPolicy() {
            serve("s1", RpcServerOptions.builder().accessPolicy(AccessPolicy.ANNOTATED).build(), new Guarded());
            RpcClient client = client();
            assertEquals("open", client.call(Context.empty(), "open", Map.of(), String.class));
            assertEquals("renamed", client.call(Context.empty(), "renamed", Map.of(), String.class));
            assertThrows(NoSuchRpcMethodException.class, () -> client.call(Context.empty(), "hidden", Map.of(), String.class));
            assertThrows(NoSuchRpcMethodException.class, () -> client.call(Context.empty(), "internalName", Map.of(), String.class));
        }

        @Test
        @DisplayName("an endpoint with two methods of one name is refused when the server is created")
        void overloads() {
            Object overloaded = new Object() {
                public int add(int x) {
                    return x;
                }

                public int add(int x, int y) {
                    return x + y;
                }
            };
            assertThrows(IllegalArgumentException.class,
                    () -> RpcServer.create(conn, target().withServer("s1"), List.of(overloaded)));
        }
    }

    @Nested
    @DisplayName("typed interfaces")
    class Typed {

        @Test
        @DisplayName("a proxy calls by method: results decoded into the return type, generics and Optional included")
        void calls() throws Exception {
            serve("s1", new Calculator("s1"));
            CalculatorApi calc = client().proxy(CalculatorApi.class);
            assertEquals(3, calc.add(1, 2));
            assertEquals(55L, calc.fibLater(10).get(timeout().toMillis(), TimeUnit.MILLISECONDS));
            assertEquals(List.of("a", "b"), calc.split("a,b"));
            List<Order> orders = List.of(new Order("a", 2, List.of("x")), new Order("b", 3, List.of("y")));
            assertEquals(new Order("sum", 5, List.of("x", "y")), calc.total(orders, Optional.of("sum")));
            assertEquals("total", calc.total(orders, Optional.empty()).id(), "an empty Optional is left out");
            calc.nothing();
            assertEquals(6, calc.addTwice(1, 2), "a default method runs in the caller, on the proxy");
        }

        @Test
        @DisplayName("a leading Context is the request context; a @RpcCast method casts")
        void contextAndCast() throws Exception {
            Calculator impl = new Calculator("s1");
            serve("s1", impl);
            CalculatorApi calc = client().proxy(CalculatorApi.class);
            Context ctx = Context.empty().with("user_id", "u-1");
            assertEquals(Map.of("user_id", "u-1"), calc.echoContext(ctx));
            calc.test("cast by proxy");
            assertEquals("s1:cast by proxy", impl.casts.poll(timeout().toMillis(), TimeUnit.MILLISECONDS));
        }

        @Test
        @DisplayName("failures are call's typed exceptions: remote, no such method, and a per-method timeout")
        void failures() {
            Calculator impl = new Calculator("s1");
            impl.gate = new CountDownLatch(1);
            serve("s1", impl);
            CalculatorApi calc = client().proxy(CalculatorApi.class);
            RemoteException remote = assertThrows(RemoteException.class, () -> calc.divide(1, 0));
            assertEquals("ArithmeticException", remote.remoteClass());
            assertThrows(NoSuchRpcMethodException.class, calc::missing);
            long start = System.nanoTime();
            assertThrows(RpcTimeoutException.class, () -> calc.slow("late"));
            assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(timeout()) < 0,
                    "@RpcTimeout(300 ms) replaced the client's timeout of " + timeout());
            impl.gate.countDown();
        }

        @Test
        @DisplayName("equals, hashCode and toString are the proxy's own, and never sent")
        void objectMethods() {
            CalculatorApi calc = client().proxy(CalculatorApi.class);
            CalculatorApi other = client().proxy(CalculatorApi.class);
            assertEquals(calc, calc);
            assertFalse(calc.equals(other));
            assertEquals(System.identityHashCode(calc), calc.hashCode());
            assertTrue(calc.toString().contains(CalculatorApi.class.getName()) && calc.toString().contains(topic),
                    calc.toString());
        }

        @Test
        @DisplayName("a server made from an interface serves its methods only, at the highest version they name")
        void typedServer() {
            serve("s1", Shop.class, new ShopImpl());
            Shop shop = client().proxy(Shop.class);
            assertEquals(new Order("o-1", 2, List.of()), shop.order("o-1", 2));
            assertEquals(List.of("tea", "u-9"), shop.catalogue(Context.empty().with("user_id", "u-9")));
            RpcClient typed = client().prepare().namespace("typed").version("1.2").build();
            assertThrows(NoSuchRpcMethodException.class,
                    () -> typed.call(Context.empty(), "backdoor", Map.of(), String.class));
            assertThrows(UnsupportedVersionException.class, () -> typed.prepare().version("1.5").build()
                    .call(Context.empty(), "order", args("id", "o", "quantity", 1), Order.class));
        }

        @Test
        @DisplayName("a method whose version is above the cap throws VersionCapException and sends nothing")
        void versionCap() {
            serve("s1", Shop.class, new ShopImpl());
            RpcClient capped = RpcClient.create(conn, target(), RpcClientOptions.builder()
                    .timeout(timeout()).versionCap("1.3").build());
            assertTrue(capped.canSendVersion("1.2"));
            assertFalse(capped.canSendVersion("1.4"));
            Shop shop = capped.proxy(Shop.class);
            assertEquals(new Order("o-2", 1, List.of()), shop.order("o-2", 1));
            assertThrows(VersionCapException.class, () -> shop.catalogue(Context.empty()));
        }

        @Test
        @DisplayName("an interface dispatch cannot serve is refused at create, naming the method")
        void refusedAtCreate() {
            IllegalArgumentException overload = assertThrows(IllegalArgumentException.class,
                    () -> RpcServer.create(conn, target().withServer("s1"), Overloaded.class, new Overloaded() {
                        @Override
                        public int add(int x, int y) {
                            return x + y;
                        }

                        @Override
                        public double add(double x, double y) {
                            return x + y;
                        }
                    }));
            assertTrue(overload.getMessage().contains("Overloaded.add"), overload.getMessage());
            IllegalArgumentException annotated = assertThrows(IllegalArgumentException.class,
                    () -> RpcServer.create(conn, target().withServer("s1"), Shop.class, new ShopImpl(),
                            RpcServerOptions.builder().accessPolicy(AccessPolicy.ANNOTATED).build()));
            assertTrue(annotated.getMessage().contains("Shop.order"), annotated.getMessage());
        }
    }

    @Nested
    @DisplayName("failures")
    class Failures {

        @Test
        @DisplayName("an endpoint's exception comes back as RemoteException with class, package, message and traceback")
        void remoteException() {
            serve("s1", new Calculator("s1"));
            RemoteException e = assertThrows(RemoteException.class,
                    () -> client().call(Context.empty(), "divide", args("x", 1, "y", 0), Integer.class));
            assertEquals("ArithmeticException", e.remoteClass());
            assertEquals("java.lang", e.remoteModule());
            assertEquals("/ by zero", e.remoteMessage());
            assertEquals(List.of("/ by zero"), e.remoteArgs());
            assertTrue(e.remoteTraceback().stream().anyMatch(line -> line.contains("divide")), e.remoteTraceback().toString());
            assertTrue(e.getMessage().contains("java.lang.ArithmeticException"), e.getMessage());
        }

        @Test
        @DisplayName("missing, unknown and ill-typed arguments come back as TypeError, and the server goes on")
        void badArguments() {
            serve("s1", new Calculator("s1"));
            RpcClient client = client();
            for (Map<String, Object> bad : List.of(args("x", 1), args("x", 1, "y", 2, "z", 3), args("x", "one", "y", 2),
                    args("x", null, "y", 2))) {
                RemoteException e = assertThrows(RemoteException.class,
                        () -> client.call(Context.empty(), "add", bad, Integer.class), bad.toString());
                assertEquals("TypeError", e.remoteClass());
                assertEquals("builtins", e.remoteModule());
            }
            assertEquals(3, client.call(Context.empty(), "add", args("x", 1, "y", 2), Integer.class));
        }

        @Test
        @DisplayName("an expected exception is sent back like any other")
        void expected() {
            serve("s1", new Calculator("s1"));
            RemoteException e = assertThrows(RemoteException.class,
                    () -> client().call(Context.empty(), "refuse", args("why", "not allowed"), Void.class));
            assertEquals("IllegalArgumentException", e.remoteClass());
            assertEquals("not allowed", e.remoteMessage());
        }

        @Test
        @DisplayName("an undecodable request is rejected and the server goes on serving")
        void poison() {
            serve("s1", new Calculator("s1"));
            Exchange control = OsloDeclarations.controlExchange(OsloTopology.defaults(), exchange);
            conn.producer().publish("{not json".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    Publish.to(control).routingKey(topic).contentType("application/json", "utf-8"));
            conn.producer().publish("[1, 2]".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    Publish.to(control).routingKey(topic).contentType("application/json", "utf-8"));
            assertEquals(3, client().call(Context.empty(), "add", args("x", 1, "y", 2), Integer.class));
        }

        @Test
        @DisplayName("a request received twice (same _unique_id) runs once")
        void duplicates() throws Exception {
            Calculator calc = new Calculator("s1");
            serve("s1", calc);
            OsloCodec codec = new OsloCodec(JsonSerializer.defaultMapper());
            ObjectNode request = codec.newMessage();
            request.put("method", "test");
            request.putObject("args").put("note", "once");
            request.put(OsloCodec.UNIQUE_ID, OsloCodec.newId());
            byte[] body = codec.encode(request, true);
            Exchange control = OsloDeclarations.controlExchange(OsloTopology.defaults(), exchange);
            Publish publish = OsloCodec.properties(Publish.to(control).routingKey(topic + ".s1"));
            conn.producer().publish(body, publish);
            conn.producer().publish(body, publish);
            assertEquals("s1:once", calc.casts.poll(timeout().toMillis(), TimeUnit.MILLISECONDS));
            // A later call, served after both copies, proves the second copy did not run.
            client().prepare().server("s1").build().call(Context.empty(), "nothing", Map.of(), Void.class);
            assertTrue(calc.casts.isEmpty(), calc.casts.toString());
        }
    }

    @Nested
    @DisplayName("life cycle")
    class LifeCycle {

        @Test
        @DisplayName("stop lets a running request finish within its bound, then await returns")
        void gracefulStop() throws Exception {
            Calculator calc = new Calculator("s1");
            calc.gate = new CountDownLatch(1);
            RpcServer server = serve("s1", RpcServerOptions.builder().concurrency(1).build(), calc);
            assertEquals(Lifecycle.State.RUNNING, server.state());
            CompletableFuture<String> running = client().callAsync(Context.empty(), "slow", args("id", "first"), String.class);
            assertEquals("first", calc.started.poll(timeout().toMillis(), TimeUnit.MILLISECONDS));
            CompletableFuture<Boolean> stopping = CompletableFuture.supplyAsync(() -> server.stop(timeout()));
            awaitTrue(() -> server.state() == Lifecycle.State.STOPPING);
            calc.gate.countDown();
            assertTrue(stopping.get(timeout().toSeconds(), TimeUnit.SECONDS), "the running request finished in time");
            assertEquals("first", running.get(timeout().toSeconds(), TimeUnit.SECONDS));
            assertTrue(server.awaitTermination(timeout()));
            assertEquals(Lifecycle.State.STOPPED, server.state());
            assertThrows(IllegalStateException.class, server::start);
        }

        @Test
        @DisplayName("stop gives requests not yet started back to the broker, for the next server")
        void queuedRequestsGoBack() throws Exception {
            Calculator calc = new Calculator("s1");
            calc.gate = new CountDownLatch(1);
            RpcServer server = serve("s1", RpcServerOptions.builder().concurrency(1).build(), calc);
            RpcClient client = client();
            CompletableFuture<String> running = client.callAsync(Context.empty(), "slow", args("id", "first"), String.class);
            assertEquals("first", calc.started.poll(timeout().toMillis(), TimeUnit.MILLISECONDS));
            CompletableFuture<String> queued = client.callAsync(Context.empty(), "slow", args("id", "second"), String.class);
            // The single worker is busy: the stop's bound passes with the first request still running.
            assertFalse(server.stop(Duration.ofMillis(300)));
            calc.gate.countDown();
            assertEquals("first", running.get(timeout().toSeconds(), TimeUnit.SECONDS));
            Calculator next = new Calculator("s2");
            serve("s2", next);
            assertEquals("second", queued.get(timeout().toSeconds(), TimeUnit.SECONDS));
            assertEquals(List.of("first"), calc.runs, "the stopped server did not start the second request");
            assertEquals(List.of("second"), next.runs);
        }

        @Test
        @DisplayName("acking after dispatch serves requests the same way")
        void ackAfterDispatch() {
            serve("s1", RpcServerOptions.builder().ack(RequestAck.AFTER_DISPATCH).build(), new Calculator("s1"));
            assertEquals(7, client().call(Context.empty(), "add", args("x", 3, "y", 4), Integer.class));
        }

        private void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
            long deadline = System.nanoTime() + timeout().toNanos();
            while (!condition.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("condition not met within " + timeout());
                }
                Thread.sleep(5);
            }
        }
    }
}
