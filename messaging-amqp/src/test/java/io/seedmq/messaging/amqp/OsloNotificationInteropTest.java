package io.seedmq.messaging.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import io.seedmq.messaging.Connection;
import io.seedmq.messaging.amqp.test.PythonPeer;
import io.seedmq.messaging.notify.ListenerOptions;
import io.seedmq.messaging.notify.Notification;
import io.seedmq.messaging.notify.NotificationEndpoint;
import io.seedmq.messaging.notify.NotificationFilter;
import io.seedmq.messaging.notify.NotificationListener;
import io.seedmq.messaging.notify.NotificationResult;
import io.seedmq.messaging.notify.NotificationTarget;
import io.seedmq.messaging.notify.Notifier;
import io.seedmq.messaging.notify.NotifierOptions;
import io.seedmq.messaging.notify.Priority;
import io.seedmq.messaging.oslo.Context;
import io.seedmq.messaging.oslo.OsloTopology;
import io.seedmq.messaging.serialization.JsonSerializer;
import io.seedmq.messaging.test.BrokerKind;
import io.seedmq.messaging.test.SeedmqTest;
import io.seedmq.messaging.test.TestBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * seedmq notifications and Python's oslo.messaging (Debian's {@code python3-oslo.messaging}) on one
 * RabbitMQ: an oslo Notifier's notifications reach a seedmq listener, and a seedmq Notifier's
 * reach oslo listeners, filters and pools included, with both the 2.0 envelope and version 1.
 */
@SeedmqTest(broker = BrokerKind.RABBITMQ)
@DisplayName("Interoperability with oslo.messaging notifications")
class OsloNotificationInteropTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final TestBroker broker;
    private Connection connection;
    private String exchange;
    private String topic;
    private final List<String> queues = new ArrayList<>();

    OsloNotificationInteropTest(TestBroker broker) {
        this.broker = broker;
    }

    @BeforeAll
    static void osloIsInstalled() {
        PythonPeer.require("oslo_messaging", "python3-oslo.messaging");
    }

    @BeforeEach
    void open() {
        connection = Connection.open(broker.options());
        String unique = UUID.randomUUID().toString().substring(0, 8);
        exchange = "seedmq-oslo-x-" + unique;
        topic = "seedmq-oslo-" + unique;
        for (Priority p : Priority.values()) {
            queues.add(topic + "." + p.routingName());
        }
    }

    @AfterEach
    void close() {
        for (String q : queues) {
            connection.deleteQueue(q);
        }
        connection.deleteExchange(exchange, false);
        connection.close();
    }

    private static Map<String, Object> expectedPayload(String driver, String priority, int n) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("content", "Hello World");
        payload.put("priority", priority);
        payload.put("n", n);
        payload.put("nested", Map.of("driver", driver, "list", Arrays.asList(1, 2.5, null, true)));
        return payload;
    }

    @ParameterizedTest(name = "driver {0}")
    @ValueSource(strings = {"messagingv2", "messaging"})
    @DisplayName("an oslo Notifier's info, warn and error reach a seedmq listener filtering on the publisher, exactly the matching ones")
    void osloNotifierToSeedmqListener(String driver) throws Exception {
        BlockingQueue<Notification> received = new LinkedBlockingQueue<>();
        NotificationListener listener = NotificationListener.create(connection,
                List.of(new NotificationTarget(topic, exchange)),
                List.of(NotificationEndpoint.of(NotificationFilter.builder().publisherId("^local").build(), n -> {
                    received.add(n);
                    return NotificationResult.HANDLED;
                })), ListenerOptions.builder().topology(OsloTopology.historical()).build());
        listener.start();
        try {
            PythonPeer.Result result = PythonPeer.run(TIMEOUT, "oslo_notify.py", osloUrl(), exchange, topic, driver);
            assertEquals(0, result.exitCode(), result.toString());
            assertTrue(result.stdout().contains("sent 6"), result.toString());

            Map<Priority, Notification> byPriority = new LinkedHashMap<>();
            for (int i = 0; i < 3; i++) {
                Notification n = received.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                assertNotNull(n, "only " + byPriority.keySet() + " arrived");
                byPriority.put(n.priority(), n);
            }
            assertNull(received.poll(500, TimeUnit.MILLISECONDS), "only publisher 'local' passes the filter");
            String[] names = {"info", "warn", "error"};
            for (int i = 0; i < names.length; i++) {
                Notification n = byPriority.get(Priority.parse(names[i]).orElseThrow());
                assertNotNull(n, names[i]);
                assertEquals("local", n.publisherId());
                assertEquals("interop." + names[i], n.eventType());
                assertEquals(expectedPayload(driver, names[i], i), n.payload(new TypeReference<Map<String, Object>>() { }));
                assertEquals("u-python", n.context().getString("user_id").orElseThrow());
                assertEquals(36, n.messageId().length());
                assertTrue(n.timestamp().isPresent(), n.metadata().toString());
            }
        } finally {
            assertTrue(listener.stop());
        }
        for (String p : List.of("info", "warn", "error")) {
            assertEquals(0, connection.queueInfo(topic + "." + p).messageCount(), "the unmatched ones were dropped");
        }
    }

    @ParameterizedTest(name = "driver {0}")
    @ValueSource(strings = {"messagingv2", "messaging"})
    @DisplayName("a seedmq Notifier's notifications reach oslo listeners with a NotificationFilter: one pool shares, another pool gets all")
    void seedmqNotifierToOsloListeners(String driver) throws Exception {
        String poolA = topic + "-pool-a";
        String poolB = topic + "-pool-b";
        queues.add(poolA);
        queues.add(poolB);
        try (PythonPeer.Running python = PythonPeer.start("oslo_listen.py", osloUrl(), exchange, topic, poolA, poolB,
                "^local", "3")) {
            python.awaitLine("ready"::equals, TIMEOUT);

            Notifier notifier = Notifier.create(connection, "local", NotifierOptions.builder().exchange(exchange).topics(topic)
                    .topology(OsloTopology.historical())
                    .driver(NotifierOptions.Driver.fromOsloName(driver)).declareQueues(false).build());
            Context ctx = Context.empty().with("user_id", "u-java").with("auth_token", "never-sent");
            String[] names = {"info", "warn", "error"};
            for (Notifier n : List.of(notifier, notifier.prepare("remote"))) {
                for (int i = 0; i < names.length; i++) {
                    n.notify(ctx, Priority.parse(names[i]).orElseThrow(), "interop." + names[i], expectedPayload(driver, names[i], i));
                }
            }
            String json = python.pollLine(TIMEOUT);
            assertNotNull(json, "the oslo listeners printed nothing: " + python.stderrText());
            Map<String, List<Map<String, Object>>> seen = JsonSerializer.defaultMapper().readValue(json,
                    new TypeReference<Map<String, List<Map<String, Object>>>>() { });

            List<Map<String, Object>> poolAll = new ArrayList<>(seen.get("a1"));
            poolAll.addAll(seen.get("a2"));
            for (List<Map<String, Object>> got : List.of(poolAll, seen.get("b"))) {
                assertEquals(3, got.size(), "each matching notification exactly once per pool: " + json);
                Set<String> priorities = new HashSet<>();
                for (Map<String, Object> n : got) {
                    String p = (String) n.get("priority");
                    priorities.add(p);
                    int i = Arrays.asList(names).indexOf(p);
                    assertEquals("local", n.get("publisher_id"));
                    assertEquals("interop." + p, n.get("event_type"));
                    assertEquals(expectedPayload(driver, p, i), n.get("payload"));
                    @SuppressWarnings("unchecked")
                    Map<String, Object> ctxt = (Map<String, Object>) n.get("ctxt");
                    assertEquals("u-java", ctxt.get("user_id"));
                    assertTrue(!ctxt.containsKey("auth_token"), "the token stayed home: " + ctxt);
                    @SuppressWarnings("unchecked")
                    Map<String, Object> metadata = (Map<String, Object>) n.get("metadata");
                    assertEquals(36, ((String) metadata.get("message_id")).length());
                }
                assertEquals(Set.of(names), priorities);
            }
        }
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("io.seedmq.messaging.amqp.OsloRpcInteropTest#topologies")
    @DisplayName("with the same oslo topology options, seedmq and oslo Notifiers declare the same queues (no 406) and a seedmq listener gets both")
    void sharedNotificationQueues(String query) throws Exception {
        OsloTopology topology = OsloTopology.fromSettings(OsloRpcInteropTest.settings(query));
        Notifier notifier = Notifier.create(connection, "java", NotifierOptions.builder().exchange(exchange).topics(topic)
                .topology(topology).build());
        String[] names = {"info", "warn", "error"};
        for (int i = 0; i < names.length; i++) {
            notifier.notify(Context.empty(), Priority.parse(names[i]).orElseThrow(), "interop." + names[i], Map.of("n", i));
        }
        PythonPeer.Result result = PythonPeer.run(TIMEOUT, "oslo_notify.py",
                osloUrl() + (query.isEmpty() ? "" : "?" + query), exchange, topic, "messagingv2");
        assertEquals(0, result.exitCode(), result.toString());

        BlockingQueue<Notification> received = new LinkedBlockingQueue<>();
        NotificationListener listener = NotificationListener.create(connection,
                List.of(new NotificationTarget(topic, exchange)),
                List.of(NotificationEndpoint.of(NotificationFilter.builder().build(), n -> {
                    received.add(n);
                    return NotificationResult.HANDLED;
                })), ListenerOptions.builder().topology(topology).build());
        listener.start();
        try {
            Set<String> publishers = new HashSet<>();
            for (int i = 0; i < 9; i++) {
                Notification n = received.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                assertNotNull(n, "only " + i + " of 9 notifications arrived");
                publishers.add(n.publisherId());
            }
            assertEquals(Set.of("java", "local", "remote"), publishers);
        } finally {
            assertTrue(listener.stop());
        }
    }

    /** The broker's URL as oslo writes it. */
    private String osloUrl() {
        return PythonPeer.url("rabbit", broker.options());
    }
}
