package io.seedmq.messaging.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.seedmq.messaging.AckMode;
import io.seedmq.messaging.Connection;
import io.seedmq.messaging.ConnectionOptions;
import io.seedmq.messaging.EntityNotFoundException;
import io.seedmq.messaging.Lifecycle;
import io.seedmq.messaging.Message;
import io.seedmq.messaging.Publish;
import io.seedmq.messaging.oslo.OsloTopology;
import io.seedmq.messaging.oslo.internal.OsloDeclarations;
import io.seedmq.messaging.oslo.Context;
import io.seedmq.messaging.oslo.internal.OsloCodec;
import io.seedmq.messaging.serialization.JsonSerializer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The notification kit: {@link Notifier} and {@link NotificationListener} behaviour, written once
 * and run by every transport module (memory:// and RabbitMQ), as the conformance kit is.
 *
 * <p>Every case gets its own exchange and topic, so the {@code <topic>.<priority>} queues are its
 * own, and deletes them afterwards. Flow is synchronised with blocking queues and latches; the
 * absence of a delivery is asserted over a short {@linkplain #quietPeriod() quiet period}.
 */
public abstract class NotificationKit {

    /** A typed payload to bind into. */
    public record Instance(String id, String state, int vcpus) {
    }

    /** The connection notifiers and listeners of a case use. */
    protected Connection conn;
    /** A second connection to inspect queues and clean up. */
    protected Connection admin;
    /** The case's exchange. */
    protected String exchange;
    /** The case's topic. */
    protected String topic;

    private final Set<String> queues = Collections.synchronizedSet(new LinkedHashSet<>());
    private final List<NotificationListener> listeners = new CopyOnWriteArrayList<>();

    /** @return how to reach the transport; all connections of a case must meet on one broker */
    protected abstract ConnectionOptions connectionOptions();

    /** @return how long a case waits for something that must happen */
    protected Duration timeout() {
        return Duration.ofSeconds(10);
    }

    /** @return how long a case waits to be confident something does not happen */
    protected Duration quietPeriod() {
        return Duration.ofMillis(300);
    }

    @BeforeEach
    void open() {
        admin = Connection.open(connectionOptions());
        conn = Connection.open(connectionOptions());
        String unique = UUID.randomUUID().toString().substring(0, 8);
        exchange = "seedmq-notify-x-" + unique;
        topic = "seedmq-notify-" + unique;
        for (Priority p : Priority.values()) {
            queues.add(topic + "." + p.routingName());
        }
    }

    @AfterEach
    void cleanUp() {
        for (NotificationListener l : listeners) {
            l.stop(Duration.ofSeconds(2));
        }
        quietly(conn::close);
        for (String q : List.copyOf(queues)) {
            quietly(() -> admin.deleteQueue(q));
        }
        quietly(() -> admin.deleteExchange(exchange, false));
        quietly(admin::close);
    }

    private static void quietly(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException ignored) {
            // cleanup of something the case may not have made
        }
    }

    /** @return a builder for a notifier on the case's exchange and topic */
    protected NotifierOptions.Builder notifierOptions() {
        return NotifierOptions.builder().exchange(exchange).topics(topic);
    }

    /** @return the case's target */
    protected NotificationTarget target() {
        return new NotificationTarget(topic, exchange);
    }

    /** @return a unique pool name, its queue deleted after the case */
    protected String pool(String what) {
        String name = topic + "-pool-" + what;
        queues.add(name);
        return name;
    }

    /** Starts a listener on the case's target, stopped after the case. */
    protected NotificationListener listen(ListenerOptions options, NotificationEndpoint... endpoints) {
        NotificationListener l = NotificationListener.create(conn, List.of(target()), List.of(endpoints), options);
        listeners.add(l);
        l.start();
        return l;
    }

    /** An endpoint putting every notification that passes its filter on a queue. */
    protected static NotificationEndpoint collecting(NotificationFilter filter, BlockingQueue<Notification> into) {
        return NotificationEndpoint.of(filter, n -> {
            into.add(n);
            return NotificationResult.HANDLED;
        });
    }

    /** @return the next notification, failing after the timeout */
    protected Notification next(BlockingQueue<Notification> from) throws InterruptedException {
        Notification n = from.poll(timeout().toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(n, "no notification within " + timeout());
        return n;
    }

    /** Asserts nothing more arrives during the quiet period. */
    protected void assertQuiet(BlockingQueue<?> from) throws InterruptedException {
        Object extra = from.poll(quietPeriod().toMillis(), TimeUnit.MILLISECONDS);
        assertNull(extra, "unexpected delivery: " + extra);
    }

    /** @return the ready messages of a queue (after the listeners stopped, everything not settled is ready again) */
    protected long ready(String queue) {
        return admin.queueInfo(queue).messageCount();
    }

    /**
     * Fetches the next raw message of a queue. A notify returns once the broker confirmed the
     * publish, so the message is already there.
     */
    protected Message fetch(String queue) {
        return admin.get(queue, AckMode.AUTO).orElseThrow(() -> new AssertionError("no message in " + queue));
    }

    @Nested
    @DisplayName("Notifier")
    class NotifierCases {

        @Test
        @DisplayName("every priority goes to <topic>.<priority> with oslo's fields, in the 2.0 envelope, as JSON, UTF-8, persistent")
        void everyPriorityOnTheWire() throws Exception {
            Notifier notifier = Notifier.create(conn, "compute.host1", notifierOptions().build());
            Context ctx = Context.empty().with("user_id", "u-1").with("request_id", "req-1");
            for (Priority p : Priority.values()) {
                notifier.notify(ctx, p, "compute.instance." + p.routingName(), Map.of("n", p.ordinal()));
            }
            for (Priority p : Priority.values()) {
                Message m = fetch(topic + "." + p.routingName());
                assertEquals(exchange, m.exchange());
                assertEquals(topic + "." + p.routingName(), m.routingKey());
                assertEquals("application/json", m.contentType());
                assertEquals("utf-8", m.properties().contentEncoding());
                assertTrue(m.properties().persistent());
                JsonNode outer = JsonSerializer.defaultMapper().readTree(m.body());
                assertEquals("2.0", outer.get("oslo.version").asText());
                JsonNode inner = JsonSerializer.defaultMapper().readTree(outer.get("oslo.message").asText());
                assertEquals(List.of("message_id", "publisher_id", "event_type", "priority", "payload", "timestamp",
                        "_unique_id", "_context_user_id", "_context_request_id"), fieldNames(inner));
                assertTrue(inner.get("message_id").asText().matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}"),
                        "message_id is str(uuid4()): " + inner.get("message_id"));
                assertTrue(inner.get("_unique_id").asText().matches("[0-9a-f]{32}"));
                assertEquals("compute.host1", inner.get("publisher_id").asText());
                assertEquals("compute.instance." + p.routingName(), inner.get("event_type").asText());
                assertEquals(p.name(), inner.get("priority").asText());
                assertEquals(p.ordinal(), inner.get("payload").get("n").asInt());
                assertTrue(inner.get("timestamp").asText().matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(\\.\\d{6})?"),
                        inner.get("timestamp").asText());
                assertEquals("u-1", inner.get("_context_user_id").asText());
            }
        }

        @Test
        @DisplayName("warning() is sent as WARN with routing key <topic>.warn")
        void warningIsWarn() throws Exception {
            Notifier.create(conn, "p", notifierOptions().build()).warning(Context.empty(), "disk.low", Map.of());
            JsonNode inner = inner(fetch(topic + ".warn"));
            assertEquals("WARN", inner.get("priority").asText());
        }

        @Test
        @DisplayName("the messaging driver sends version 1: the message itself, no envelope")
        void messagingDriverHasNoEnvelope() throws Exception {
            Notifier.create(conn, "p", notifierOptions().driver(NotifierOptions.Driver.MESSAGING).build())
                    .info(Context.empty(), "e", Map.of("k", "v"));
            JsonNode body = JsonSerializer.defaultMapper().readTree(fetch(topic + ".info").body());
            assertNull(body.get("oslo.version"));
            assertEquals("INFO", body.get("priority").asText());
            assertEquals("v", body.get("payload").get("k").asText());
        }

        @Test
        @DisplayName("every topic gets its own copy")
        void everyTopic() throws Exception {
            String second = topic + "-b";
            queues.add(second + ".error");
            Notifier.create(conn, "p", notifierOptions().topics(topic, second).build()).error(Context.empty(), "e", "x");
            assertEquals("x", inner(fetch(topic + ".error")).get("payload").asText());
            assertEquals("x", inner(fetch(second + ".error")).get("payload").asText());
        }

        @Test
        @DisplayName("declareQueues(false) declares no queue: with no listener the notification goes nowhere")
        void withoutDeclaringQueues() {
            Notifier.create(conn, "p", notifierOptions().declareQueues(false).build()).info(Context.empty(), "e", 1);
            assertThrows(EntityNotFoundException.class, () -> admin.queueInfo(topic + ".info"));
        }

        @Test
        @DisplayName("sensitive context entries are stripped by default, and by a custom rule when given")
        void contextStripping() throws Exception {
            Context ctx = Context.empty().with("user_id", "u").with("auth_token", "t0k3n").with("password", "pw")
                    .with("db_secret", "s").with("tenant", "acme");
            Notifier.create(conn, "p", notifierOptions().build()).info(ctx, "e", 1);
            JsonNode inner = inner(fetch(topic + ".info"));
            assertEquals(List.of("_context_user_id", "_context_tenant"), contextFields(inner));

            Notifier.create(conn, "p", notifierOptions().stripContext(k -> k.equals("tenant")).build()).info(ctx, "e", 1);
            assertEquals(List.of("_context_user_id", "_context_auth_token", "_context_password", "_context_db_secret"),
                    contextFields(inner(fetch(topic + ".info"))));
        }

        @Test
        @DisplayName("prepare() sends as another publisher with the same options")
        void prepare() throws Exception {
            Notifier notifier = Notifier.create(conn, "a", notifierOptions().build());
            Notifier other = notifier.prepare("b");
            assertEquals("b", other.publisherId());
            other.info(Context.empty(), "e", 1);
            assertEquals("b", inner(fetch(topic + ".info")).get("publisher_id").asText());
        }

        @Test
        @DisplayName("an application driver gets what was sent; noop and log drivers publish nothing")
        void applicationNoopAndLogDrivers() {
            List<Notification> sent = new CopyOnWriteArrayList<>();
            Notifier notifier = Notifier.create(conn, "p", notifierOptions().driver(NotifierOptions.Driver.NOOP)
                    .driver(NotifierOptions.Driver.LOG).driver((n, topics) -> sent.add(n)).build());
            notifier.critical(Context.empty().with("password", "x").with("user", "u"), "boom", Map.of("k", "v"));
            assertEquals(1, sent.size());
            Notification n = sent.get(0);
            assertEquals(Priority.CRITICAL, n.priority());
            assertEquals("boom", n.eventType());
            assertEquals(Map.of("user", "u"), n.context().asMap());
            assertEquals(Map.of("k", "v"), n.payload(Map.class));
            assertTrue(n.timestamp().isPresent());
            assertThrows(EntityNotFoundException.class, () -> admin.queueInfo(topic + ".critical"));
        }

        private JsonNode inner(Message m) {
            return new OsloCodec(JsonSerializer.defaultMapper()).decode(m.body());
        }

        private List<String> contextFields(JsonNode inner) {
            return fieldNames(inner).stream().filter(f -> f.startsWith("_context_")).toList();
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Nested
    @DisplayName("Listener")
    class ListenerCases {

        @Test
        @DisplayName("each priority reaches the endpoint method of that priority, with context, payload and metadata")
        void everyPriorityToItsMethod() throws Exception {
            BlockingQueue<String> calls = new LinkedBlockingQueue<>();
            NotificationEndpoint all = new NotificationEndpoint() {
                private NotificationResult record(String p, Context c, String pub, String type, JsonNode payload,
                                                  Map<String, Object> md) {
                    calls.add(p + "|" + pub + "|" + type + "|" + payload.get("n").asInt() + "|" + c.getString("user_id").orElse("")
                            + "|" + (md.get("message_id") != null) + "|" + (md.get("timestamp") != null));
                    return NotificationResult.HANDLED;
                }

                @Override
                public NotificationResult audit(Context c, String p, String t, JsonNode pl, Map<String, Object> md) {
                    return record("audit", c, p, t, pl, md);
                }

                @Override
                public NotificationResult debug(Context c, String p, String t, JsonNode pl, Map<String, Object> md) {
                    return record("debug", c, p, t, pl, md);
                }

                @Override
                public NotificationResult info(Context c, String p, String t, JsonNode pl, Map<String, Object> md) {
                    return record("info", c, p, t, pl, md);
                }

                @Override
                public NotificationResult warn(Context c, String p, String t, JsonNode pl, Map<String, Object> md) {
                    return record("warn", c, p, t, pl, md);
                }

                @Override
                public NotificationResult error(Context c, String p, String t, JsonNode pl, Map<String, Object> md) {
                    return record("error", c, p, t, pl, md);
                }

                @Override
                public NotificationResult critical(Context c, String p, String t, JsonNode pl, Map<String, Object> md) {
                    return record("critical", c, p, t, pl, md);
                }

                @Override
                public NotificationResult sample(Context c, String p, String t, JsonNode pl, Map<String, Object> md) {
                    return record("sample", c, p, t, pl, md);
                }
            };
            NotificationListener listener = listen(ListenerOptions.defaults(), all);
            assertEquals(7, listener.queueNames().size());
            Notifier notifier = Notifier.create(conn, "svc", notifierOptions().build());
            Context ctx = Context.empty().with("user_id", "u-7");
            for (Priority p : Priority.values()) {
                notifier.notify(ctx, p, "ev." + p.routingName(), Map.of("n", p.ordinal()));
            }
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 7; i++) {
                seen.add(calls.poll(timeout().toMillis(), TimeUnit.MILLISECONDS));
            }
            Set<String> expected = new HashSet<>();
            for (Priority p : Priority.values()) {
                expected.add(p.routingName() + "|svc|ev." + p.routingName() + "|" + p.ordinal() + "|u-7|true|true");
            }
            assertEquals(expected, seen);
        }

        @Test
        @DisplayName("a listener consumes only the priorities its endpoints handle, so others stay for other listeners")
        void onlyHandledPriorities() throws Exception {
            BlockingQueue<String> infos = new LinkedBlockingQueue<>();
            NotificationListener listener = listen(ListenerOptions.defaults(), new NotificationEndpoint() {
                @Override
                public NotificationResult info(Context c, String p, String t, JsonNode pl, Map<String, Object> md) {
                    infos.add(t);
                    return null;
                }
            });
            assertEquals(List.of(topic + ".info"), listener.queueNames());
            Notifier notifier = Notifier.create(conn, "svc", notifierOptions().build());
            notifier.error(Context.empty(), "not-mine", 1);
            notifier.info(Context.empty(), "mine", 1);
            assertEquals("mine", infos.poll(timeout().toMillis(), TimeUnit.MILLISECONDS));
            assertEquals(1, ready(topic + ".error"), "the error notification waits in its queue");
        }

        @Test
        @DisplayName("payloads bind into a declared type or stay a tree; the context arrives stripped")
        void typedPayload() throws Exception {
            BlockingQueue<Notification> got = new LinkedBlockingQueue<>();
            listen(ListenerOptions.defaults(), collecting(NotificationFilter.acceptAll(), got));
            Notifier.create(conn, "svc", notifierOptions().build()).info(
                    Context.empty().with("auth_token", "secret!").with("project", "p1"),
                    "compute.instance.create.end", new Instance("i-1", "active", 4));
            Notification n = next(got);
            assertEquals(new Instance("i-1", "active", 4), n.payload(Instance.class));
            assertEquals("active", n.payload().get("state").asText());
            assertEquals(Map.of("project", "p1"), n.context().asMap());
            Instant ts = n.timestamp().orElseThrow();
            assertTrue(Duration.between(ts, Instant.now()).abs().compareTo(Duration.ofMinutes(1)) < 0, ts.toString());
            assertEquals(36, n.messageId().length());
        }

        @Test
        @DisplayName("a body that is not a notification is rejected without requeue and the listener goes on")
        void undecodableBody() throws Exception {
            BlockingQueue<Notification> got = new LinkedBlockingQueue<>();
            NotificationListener listener = listen(ListenerOptions.defaults(), collecting(NotificationFilter.acceptAll(), got));
            Publish toInfo = Publish.to(OsloDeclarations.controlExchange(OsloTopology.defaults(), exchange)).routingKey(topic + ".info");
            conn.producer().publish("not json {", toInfo);
            conn.producer().publish(Map.of("priority", "LOUD", "payload", 1), toInfo);
            Notifier.create(conn, "svc", notifierOptions().build()).info(Context.empty(), "after", 1);
            assertEquals("after", next(got).eventType());
            assertQuiet(got);
            listener.stop();
            assertEquals(0, ready(topic + ".info"));
        }

        @Test
        @DisplayName("life cycle: STOPPED, CONSUMING after start, STOPPED after stop; a listener runs once")
        void lifeCycle() throws Exception {
            NotificationListener listener = NotificationListener.create(conn, List.of(target()),
                    List.of(NotificationEndpoint.of(n -> NotificationResult.HANDLED)), ListenerOptions.defaults());
            listeners.add(listener);
            assertEquals(Lifecycle.State.CREATED, listener.state());
            listener.start();
            assertEquals(Lifecycle.State.RUNNING, listener.state());
            listener.start();
            assertEquals(Lifecycle.State.RUNNING, listener.state(), "start while running does nothing");
            assertFalse(listener.awaitTermination(Duration.ofMillis(10)));
            assertTrue(listener.stop());
            assertEquals(Lifecycle.State.STOPPED, listener.state());
            assertTrue(listener.awaitTermination(Duration.ZERO));
            assertThrows(IllegalStateException.class, listener::start, "a listener starts once");
        }

        @Test
        @DisplayName("stop lets an in-flight handler finish and acknowledges its notification")
        void stopWaitsForInFlight() throws Exception {
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger calls = new AtomicInteger();
            NotificationListener listener = listen(ListenerOptions.defaults(), NotificationEndpoint.of(n -> {
                calls.incrementAndGet();
                entered.countDown();
                assertTrue(release.await(timeout().toMillis(), TimeUnit.MILLISECONDS));
                return NotificationResult.HANDLED;
            }));
            Notifier.create(conn, "svc", notifierOptions().build()).info(Context.empty(), "slow", 1);
            assertTrue(entered.await(timeout().toMillis(), TimeUnit.MILLISECONDS));
            CompletableFuture<Boolean> stopping = CompletableFuture.supplyAsync(() -> listener.stop(timeout()));
            assertFalse(listener.awaitTermination(quietPeriod()), "stop waits for the handler");
            assertEquals(Lifecycle.State.STOPPING, listener.state());
            release.countDown();
            assertTrue(stopping.get(timeout().toMillis() * 2, TimeUnit.MILLISECONDS));
            assertEquals(1, calls.get());
            assertEquals(0, ready(topic + ".info"), "acknowledged after the handler returned");
        }

        @Test
        @DisplayName("a listener with several executor threads handles notifications concurrently")
        void executorSize() throws Exception {
            CountDownLatch together = new CountDownLatch(3);
            BlockingQueue<Notification> done = new LinkedBlockingQueue<>();
            listen(ListenerOptions.builder().concurrency(3).build(), NotificationEndpoint.of(n -> {
                together.countDown();
                assertTrue(together.await(timeout().toMillis(), TimeUnit.MILLISECONDS), "three handlers run at once");
                done.add(n);
                return NotificationResult.HANDLED;
            }));
            Notifier notifier = Notifier.create(conn, "svc", notifierOptions().build());
            for (int i = 0; i < 3; i++) {
                notifier.info(Context.empty(), "e" + i, i);
            }
            for (int i = 0; i < 3; i++) {
                next(done);
            }
        }
    }

    @Nested
    @DisplayName("Filters")
    class Filters {

        private BlockingQueue<Notification> listenWith(NotificationFilter filter) {
            BlockingQueue<Notification> got = new LinkedBlockingQueue<>();
            listen(ListenerOptions.defaults(), collecting(filter, got));
            return got;
        }

        /** Sends the notifications, then a marker every filter passes, so the marker bounds the wait. */
        private List<String> received(BlockingQueue<Notification> got, int expected) throws InterruptedException {
            List<String> events = new ArrayList<>();
            for (int i = 0; i < expected; i++) {
                events.add(next(got).eventType());
            }
            assertQuiet(got);
            return events;
        }

        @Test
        @DisplayName("publisherId: anchored at the start like re.match, not at the end unless the pattern says $")
        void publisherId() throws Exception {
            BlockingQueue<Notification> got = listenWith(NotificationFilter.builder().publisherId("local").build());
            Notifier local = Notifier.create(conn, "local.host", notifierOptions().build());
            local.info(Context.empty(), "a", 1);
            local.prepare("notlocal").info(Context.empty(), "b", 1);
            local.prepare("local").info(Context.empty(), "c", 1);
            assertEquals(List.of("a", "c"), received(got, 2));
        }

        @Test
        @DisplayName("eventType with $ matches the whole value")
        void eventType() throws Exception {
            BlockingQueue<Notification> got = listenWith(NotificationFilter.builder().eventType("^compute\\.instance\\.create$").build());
            Notifier n = Notifier.create(conn, "p", notifierOptions().build());
            n.info(Context.empty(), "compute.instance.create", 1);
            n.info(Context.empty(), "compute.instance.create.end", 1);
            n.info(Context.empty(), "network.create", 1);
            assertEquals(List.of("compute.instance.create"), received(got, 1));
        }

        @Test
        @DisplayName("context: the entry must be there and be a matching string")
        void context() throws Exception {
            BlockingQueue<Notification> got = listenWith(NotificationFilter.builder().context("tenant", "^acme$").build());
            Notifier n = Notifier.create(conn, "p", notifierOptions().build());
            n.info(Context.empty().with("tenant", "acme"), "yes", 1);
            n.info(Context.empty().with("tenant", "acme2"), "longer", 1);
            n.info(Context.empty(), "missing", 1);
            n.info(Context.empty().with("tenant", 42), "number", 1);
            assertEquals(List.of("yes"), received(got, 1));
        }

        @Test
        @DisplayName("metadata: message_id and timestamp")
        void metadata() throws Exception {
            String year = String.valueOf(java.time.LocalDate.now(java.time.ZoneOffset.UTC).getYear());
            BlockingQueue<Notification> got = listenWith(NotificationFilter.builder().metadata("timestamp", "^" + year)
                    .metadata("message_id", "^[0-9a-f-]{36}$").build());
            Notifier.create(conn, "p", notifierOptions().build()).info(Context.empty(), "now", 1);
            assertEquals(List.of("now"), received(got, 1));

            NotificationFilter never = NotificationFilter.builder().metadata("timestamp", "^1999").build();
            assertFalse(never.matches(Notification.of(Priority.INFO, "p", "e", null, Context.empty(),
                    Map.of("timestamp", year + "-01-01 00:00:00"))));
        }

        @Test
        @DisplayName("payload: top-level and nested keys; non-string values and missing keys never match")
        void payload() throws Exception {
            BlockingQueue<Notification> got = listenWith(NotificationFilter.builder().payload("state", "^active$")
                    .payload(Map.of("flavor", Map.of("name", "^m1\\."))).build());
            Notifier n = Notifier.create(conn, "p", notifierOptions().build());
            n.info(Context.empty(), "match", Map.of("state", "active", "flavor", Map.of("name", "m1.small")));
            n.info(Context.empty(), "nested-differs", Map.of("state", "active", "flavor", Map.of("name", "m2.small")));
            n.info(Context.empty(), "nested-missing", Map.of("state", "active"));
            n.info(Context.empty(), "not-a-string", Map.of("state", 1, "flavor", Map.of("name", "m1.small")));
            n.info(Context.empty(), "flavor-not-a-map", Map.of("state", "active", "flavor", "m1.small"));
            n.info(Context.empty(), "payload-not-a-map", "active");
            assertEquals(List.of("match"), received(got, 1));
        }

        @Test
        @DisplayName("unmatched notifications are acknowledged and dropped, not requeued")
        void unmatchedAreDropped() throws Exception {
            BlockingQueue<Notification> got = listenWith(NotificationFilter.builder().publisherId("^wanted$").build());
            Notifier n = Notifier.create(conn, "other", notifierOptions().build());
            n.info(Context.empty(), "dropped", 1);
            n.prepare("wanted").info(Context.empty(), "kept", 1);
            assertEquals(List.of("kept"), received(got, 1));
            listeners.get(0).stop();
            assertEquals(0, ready(topic + ".info"));
        }

        @Test
        @DisplayName("each endpoint sees only what its own filter passes")
        void filtersPerEndpoint() throws Exception {
            BlockingQueue<Notification> a = new LinkedBlockingQueue<>();
            BlockingQueue<Notification> b = new LinkedBlockingQueue<>();
            listen(ListenerOptions.defaults(), collecting(NotificationFilter.builder().eventType("^a").build(), a),
                    collecting(NotificationFilter.builder().eventType("^b").build(), b));
            Notifier n = Notifier.create(conn, "p", notifierOptions().build());
            n.info(Context.empty(), "a1", 1);
            n.info(Context.empty(), "b1", 1);
            assertEquals("a1", next(a).eventType());
            assertEquals("b1", next(b).eventType());
            assertQuiet(a);
            assertQuiet(b);
        }
    }

    @Nested
    @DisplayName("Pools")
    class Pools {

        @Test
        @DisplayName("listeners of one pool share its queue: each notification reaches exactly one of them")
        void samePoolShares() throws Exception {
            String pool = pool("shared");
            BlockingQueue<String> one = new LinkedBlockingQueue<>();
            BlockingQueue<String> two = new LinkedBlockingQueue<>();
            NotificationListener first = listen(ListenerOptions.builder().pool(pool).build(), NotificationEndpoint.of(n -> {
                one.add(n.eventType());
                return null;
            }));
            listen(ListenerOptions.builder().pool(pool).build(), NotificationEndpoint.of(n -> {
                two.add(n.eventType());
                return null;
            }));
            assertEquals(List.of(pool), first.queueNames());
            Notifier n = Notifier.create(conn, "p", notifierOptions().declareQueues(false).build());
            Set<String> sent = new HashSet<>();
            for (int i = 0; i < 10; i++) {
                n.info(Context.empty(), "e" + i, i);
                sent.add("e" + i);
            }
            List<String> all = new ArrayList<>();
            while (all.size() < 10) {
                String e = one.poll(10, TimeUnit.MILLISECONDS);
                if (e == null) {
                    e = two.poll(timeout().toMillis(), TimeUnit.MILLISECONDS);
                }
                assertNotNull(e, "only " + all + " arrived");
                all.add(e);
            }
            assertQuiet(one);
            assertQuiet(two);
            assertEquals(sent, new HashSet<>(all));
            assertEquals(10, all.size(), "no notification reached both");
        }

        @Test
        @DisplayName("different pools, and the listeners without a pool, each get every notification")
        void differentPoolsEachGetAll() throws Exception {
            BlockingQueue<Notification> a = new LinkedBlockingQueue<>();
            BlockingQueue<Notification> b = new LinkedBlockingQueue<>();
            BlockingQueue<Notification> none = new LinkedBlockingQueue<>();
            listen(ListenerOptions.builder().pool(pool("a")).build(), collecting(NotificationFilter.acceptAll(), a));
            listen(ListenerOptions.builder().pool(pool("b")).build(), collecting(NotificationFilter.acceptAll(), b));
            listen(ListenerOptions.defaults(), collecting(NotificationFilter.acceptAll(), none));
            Notifier n = Notifier.create(conn, "p", notifierOptions().build());
            n.info(Context.empty(), "one", 1);
            n.error(Context.empty(), "two", 2);
            for (BlockingQueue<Notification> q : List.of(a, b, none)) {
                assertEquals(Set.of("one", "two"), Set.of(next(q).eventType(), next(q).eventType()));
                assertQuiet(q);
            }
        }
    }

    @Nested
    @DisplayName("Results and redelivery")
    class Results {

        @Test
        @DisplayName("REQUEUE with allowRequeue: the notification comes back, flagged redelivered")
        void requeueAllowed() throws Exception {
            BlockingQueue<Boolean> redelivered = new LinkedBlockingQueue<>();
            AtomicInteger calls = new AtomicInteger();
            NotificationListener l = listen(ListenerOptions.builder().allowRequeue(true).build(), NotificationEndpoint.of(n -> {
                redelivered.add(calls.incrementAndGet() > 1);
                return calls.get() == 1 ? NotificationResult.REQUEUE : NotificationResult.HANDLED;
            }));
            Notifier.create(conn, "p", notifierOptions().build()).info(Context.empty(), "e", 1);
            assertEquals(false, redelivered.poll(timeout().toMillis(), TimeUnit.MILLISECONDS));
            assertEquals(true, redelivered.poll(timeout().toMillis(), TimeUnit.MILLISECONDS));
            assertQuiet(redelivered);
            l.stop();
            assertEquals(0, ready(topic + ".info"));
        }

        @Test
        @DisplayName("REQUEUE without allowRequeue: logged and acknowledged, never redelivered")
        void requeueNotAllowed() throws Exception {
            BlockingQueue<String> calls = new LinkedBlockingQueue<>();
            NotificationListener l = listen(ListenerOptions.defaults(), NotificationEndpoint.of(n -> {
                calls.add(n.eventType());
                return NotificationResult.REQUEUE;
            }));
            Notifier.create(conn, "p", notifierOptions().build()).info(Context.empty(), "e", 1);
            assertEquals("e", calls.poll(timeout().toMillis(), TimeUnit.MILLISECONDS));
            assertQuiet(calls);
            l.stop();
            assertEquals(0, ready(topic + ".info"));
        }

        @Test
        @DisplayName("an endpoint that keeps throwing is retried maxRedeliveries times, then the notification is rejected")
        void failuresAreBounded() throws Exception {
            BlockingQueue<Integer> calls = new LinkedBlockingQueue<>();
            AtomicInteger count = new AtomicInteger();
            NotificationListener l = listen(ListenerOptions.builder().allowRequeue(true).maxRedeliveries(2).build(),
                    NotificationEndpoint.of(n -> {
                        calls.add(count.incrementAndGet());
                        throw new IllegalStateException("endpoint bug");
                    }));
            Notifier.create(conn, "p", notifierOptions().build()).info(Context.empty(), "poison", 1);
            for (int i = 1; i <= 3; i++) {
                assertEquals(i, calls.poll(timeout().toMillis(), TimeUnit.MILLISECONDS));
            }
            assertQuiet(calls);
            l.stop();
            assertEquals(0, ready(topic + ".info"), "rejected, not requeued");
        }

        @Test
        @DisplayName("an endpoint that throws without allowRequeue: one attempt, then acknowledged")
        void failureWithoutRequeue() throws Exception {
            BlockingQueue<String> calls = new LinkedBlockingQueue<>();
            NotificationListener l = listen(ListenerOptions.defaults(), NotificationEndpoint.of(n -> {
                calls.add(n.eventType());
                throw new IllegalStateException("endpoint bug");
            }));
            Notifier.create(conn, "p", notifierOptions().build()).info(Context.empty(), "e", 1);
            assertEquals("e", calls.poll(timeout().toMillis(), TimeUnit.MILLISECONDS));
            assertQuiet(calls);
            l.stop();
            assertEquals(0, ready(topic + ".info"));
        }

        @Test
        @DisplayName("the first endpoint answering REQUEUE stops the dispatch; later endpoints are not called")
        void requeueStopsDispatch() throws Exception {
            BlockingQueue<String> calls = new LinkedBlockingQueue<>();
            AtomicInteger first = new AtomicInteger();
            listen(ListenerOptions.builder().allowRequeue(true).build(),
                    NotificationEndpoint.of(n -> {
                        calls.add("first");
                        return first.incrementAndGet() == 1 ? NotificationResult.REQUEUE : NotificationResult.HANDLED;
                    }),
                    NotificationEndpoint.of(n -> {
                        calls.add("second");
                        return NotificationResult.HANDLED;
                    }));
            Notifier.create(conn, "p", notifierOptions().build()).info(Context.empty(), "e", 1);
            List<String> order = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                order.add(calls.poll(timeout().toMillis(), TimeUnit.MILLISECONDS));
            }
            assertEquals(List.of("first", "first", "second"), order);
            assertQuiet(calls);
        }
    }

    @Nested
    @DisplayName("Batch mode")
    class Batches {

        @Test
        @DisplayName("a full batch is handed over as one list as soon as batchSize notifications arrived")
        void batchSize() throws Exception {
            BlockingQueue<List<Notification>> batches = new LinkedBlockingQueue<>();
            listen(ListenerOptions.builder().batch(5, Duration.ofMinutes(1)).build(),
                    NotificationEndpoint.batch(NotificationFilter.acceptAll(), list -> {
                        batches.add(list);
                        return NotificationResult.HANDLED;
                    }));
            Notifier n = Notifier.create(conn, "p", notifierOptions().build());
            for (int i = 0; i < 5; i++) {
                n.info(Context.empty(), "e" + i, i);
            }
            List<Notification> batch = batches.poll(timeout().toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(batch);
            assertEquals(List.of("e0", "e1", "e2", "e3", "e4"), batch.stream().map(Notification::eventType).toList());
            assertQuiet(batches);
        }

        @Test
        @DisplayName("a batch that does not fill up is handed over when batchTimeout has passed")
        void batchTimeout() throws Exception {
            BlockingQueue<List<Notification>> batches = new LinkedBlockingQueue<>();
            listen(ListenerOptions.builder().batch(100, Duration.ofMillis(200)).build(),
                    NotificationEndpoint.batch(NotificationFilter.acceptAll(), list -> {
                        batches.add(list);
                        return NotificationResult.HANDLED;
                    }));
            Notifier n = Notifier.create(conn, "p", notifierOptions().build());
            for (int i = 0; i < 3; i++) {
                n.info(Context.empty(), "e" + i, i);
            }
            List<String> events = new ArrayList<>();
            while (events.size() < 3) {
                List<Notification> batch = batches.poll(timeout().toMillis(), TimeUnit.MILLISECONDS);
                assertNotNull(batch, "only " + events + " arrived");
                events.addAll(batch.stream().map(Notification::eventType).toList());
            }
            assertEquals(List.of("e0", "e1", "e2"), events);
        }

        @Test
        @DisplayName("batches group by priority and pass through the endpoint's filter; REQUEUE requeues the group")
        void batchGroupsFiltersAndRequeues() throws Exception {
            BlockingQueue<List<String>> batches = new LinkedBlockingQueue<>();
            AtomicInteger errorBatches = new AtomicInteger();
            listen(ListenerOptions.builder().allowRequeue(true).batch(4, Duration.ofMillis(300)).build(),
                    NotificationEndpoint.batch(NotificationFilter.builder().publisherId("^keep").build(), list -> {
                        boolean firstError = list.get(0).priority() == Priority.ERROR && errorBatches.incrementAndGet() == 1;
                        batches.add(list.stream().map(x -> x.priority() + ":" + x.eventType()).toList());
                        return firstError ? NotificationResult.REQUEUE : NotificationResult.HANDLED;
                    }));
            Notifier keep = Notifier.create(conn, "keep", notifierOptions().build());
            keep.info(Context.empty(), "i1", 1);
            keep.prepare("drop").info(Context.empty(), "i2", 1);
            keep.error(Context.empty(), "e1", 1);
            keep.info(Context.empty(), "i3", 1);
            Set<String> handled = new HashSet<>();
            List<List<String>> seen = new ArrayList<>();
            while (!handled.containsAll(Set.of("INFO:i1", "INFO:i3", "ERROR:e1")) || errorBatches.get() < 2) {
                List<String> b = batches.poll(timeout().toMillis(), TimeUnit.MILLISECONDS);
                assertNotNull(b, "batches so far: " + seen);
                seen.add(b);
                assertEquals(1, b.stream().map(s -> s.substring(0, s.indexOf(':'))).distinct().count(), "one priority per list: " + b);
                handled.addAll(b);
            }
            assertFalse(handled.contains("INFO:i2"), "filtered out");
            assertEquals(2, seen.stream().filter(b -> b.contains("ERROR:e1")).count(), "the requeued error came back once");
        }
    }

    @Test
    @DisplayName("a notification written by hand as oslo does is received")
    void handWrittenOsloMessage() throws Exception {
        BlockingQueue<Notification> got = new LinkedBlockingQueue<>();
        listen(ListenerOptions.defaults(), collecting(NotificationFilter.acceptAll(), got));
        OsloCodec codec = new OsloCodec(JsonSerializer.defaultMapper());
        ObjectNode m = codec.newMessage();
        m.put("message_id", UUID.randomUUID().toString());
        m.put("publisher_id", "python");
        m.put("event_type", "hand.made");
        m.put("priority", "WARNING");
        m.putObject("payload").put("k", "v");
        m.put("timestamp", "2024-05-06 07:08:09");
        m.put("_unique_id", OsloCodec.newId());
        codec.packContext(m, Context.empty().with("user", "u"));
        conn.producer().publish(codec.encode(m, true), OsloCodec.properties(
                Publish.to(OsloDeclarations.controlExchange(OsloTopology.defaults(), exchange)).routingKey(topic + ".warn")));
        Notification n = next(got);
        assertEquals(Priority.WARN, n.priority());
        assertEquals("python", n.publisherId());
        assertEquals(Map.of("user", "u"), n.context().asMap());
        assertEquals(Instant.parse("2024-05-06T07:08:09Z"), n.timestamp().orElseThrow());
    }
}
