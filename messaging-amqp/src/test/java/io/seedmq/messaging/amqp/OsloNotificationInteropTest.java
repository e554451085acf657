package io.seedmq.messaging.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.type.TypeReference;
import io.seedmq.messaging.Connection;
import io.seedmq.messaging.ConnectionOptions;
import io.seedmq.messaging.Context;
import io.seedmq.messaging.amqp.test.BrokerEndpoint;
import io.seedmq.messaging.amqp.test.RabbitBroker;
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
import io.seedmq.messaging.serialization.JsonSerializer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * seedmq notifications and Python's oslo.messaging (Debian's {@code python3-oslo.messaging}) on one
 * RabbitMQ: an oslo Notifier's notifications reach a seedmq listener, and a seedmq Notifier's
 * reach oslo listeners, filters and pools included, with both the 2.0 envelope and version 1.
 */
@RabbitBroker
@DisplayName("Interoperability with oslo.messaging notifications")
class OsloNotificationInteropTest {

    /** Debian's interpreter, which sees Debian's python3-oslo.messaging. */
    private static final String PYTHON = "/usr/bin/python3";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final BrokerEndpoint broker;
    private Connection connection;
    private String exchange;
    private String topic;
    private final List<String> queues = new ArrayList<>();

    OsloNotificationInteropTest(BrokerEndpoint broker) {
        this.broker = broker;
    }

    @BeforeAll
    static void osloIsInstalled() throws Exception {
        Process p = new ProcessBuilder(PYTHON, "-c", "import oslo_messaging, oslo_config").redirectErrorStream(true).start();
        boolean installed = Files.isExecutable(Path.of(PYTHON)) && p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        if (!installed) {
            String why = "python3-oslo.messaging is not installed for " + PYTHON + " (apt-get install python3-oslo.messaging)";
            if ("true".equalsIgnoreCase(System.getenv("SEEDMQ_REQUIRE_BROKER"))) {
                fail(why);
            }
            Assumptions.abort(why);
        }
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
                })), ListenerOptions.defaults());
        listener.start();
        try {
            Result result = run(List.of(PYTHON, script("oslo_notify.py"), osloUrl(), exchange, topic, driver));
            assertEquals(0, result.exitCode, result.toString());
            assertTrue(result.stdout.contains("sent 6"), result.toString());

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
        Process python = new ProcessBuilder(PYTHON, script("oslo_listen.py"), osloUrl(), exchange, topic, poolA, poolB,
                "^local", "3").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8))) {
            CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> readLine(out));
            assertEquals("ready", ready.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "the oslo listeners did not start");

            Notifier notifier = Notifier.create(connection, "local", NotifierOptions.builder().exchange(exchange).topics(topic)
                    .driver(NotifierOptions.Driver.fromOsloName(driver)).declareQueues(false).build());
            Context ctx = Context.empty().with("user_id", "u-java").with("auth_token", "never-sent");
            String[] names = {"info", "warn", "error"};
            for (Notifier n : List.of(notifier, notifier.prepare("remote"))) {
                for (int i = 0; i < names.length; i++) {
                    n.notify(ctx, Priority.parse(names[i]).orElseThrow(), "interop." + names[i], expectedPayload(driver, names[i], i));
                }
            }
            String json = CompletableFuture.supplyAsync(() -> readLine(out)).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertNotNull(json, "the oslo listeners printed nothing");
            assertTrue(python.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            assertEquals(0, python.exitValue());
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
        } finally {
            if (python.isAlive()) {
                python.destroyForcibly();
            }
        }
    }

    private static String readLine(BufferedReader reader) {
        try {
            return reader.readLine();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The broker's URL as oslo writes it: {@code rabbit://user:pass@host:port/vhost}, "/" for the default vhost. */
    private String osloUrl() {
        ConnectionOptions o = broker.options();
        var address = o.addresses().get(0);
        String vhost = o.virtualHost().equals("/") ? "" : URLEncoder.encode(o.virtualHost(), StandardCharsets.UTF_8);
        return "rabbit://" + URLEncoder.encode(o.username(), StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(o.password(), StandardCharsets.UTF_8) + "@" + address.host() + ":"
                + address.portOr(5672) + "/" + vhost;
    }

    private static String script(String name) throws Exception {
        return Path.of(OsloNotificationInteropTest.class.getResource("/interop/" + name).toURI()).toString();
    }

    private record Result(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\nstdout: " + stdout + "\nstderr: " + stderr;
        }
    }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
        String out = drain(p.getInputStream());
        if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("python did not finish within " + TIMEOUT + ": " + command.get(1));
        }
        return new Result(p.exitValue(), out, err.join());
    }

    private static String drain(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
