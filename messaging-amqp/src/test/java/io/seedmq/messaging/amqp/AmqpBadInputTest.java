package io.seedmq.messaging.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seedmq.messaging.AuthenticationException;
import io.seedmq.messaging.Connection;
import io.seedmq.messaging.ConnectionException;
import io.seedmq.messaging.ConnectionOptions;
import io.seedmq.messaging.ConsumerOptions;
import io.seedmq.messaging.EntityNotFoundException;
import io.seedmq.messaging.Exchange;
import io.seedmq.messaging.Publish;
import io.seedmq.messaging.Queue;
import io.seedmq.messaging.UnsupportedSchemeException;
import io.seedmq.messaging.amqp.test.Rabbitmqctl;
import io.seedmq.messaging.test.BrokerKind;
import io.seedmq.messaging.test.SeedmqTest;
import io.seedmq.messaging.test.TestBroker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Bad input at the API a user touches, each with the outcome the user sees: typed exceptions, no
 * credentials in any message or log line (the log output is captured and scanned), connections
 * that stay usable for everyone else. Payload-level bad input (malformed JSON, wrong content type,
 * invalid UTF-8, oversize bodies) is in {@link io.seedmq.messaging.conformance.ReliabilityKit}.
 */
@SeedmqTest(broker = BrokerKind.RABBITMQ)
@DisplayName("Bad input on RabbitMQ: typed errors, no secrets, nothing else broken")
class AmqpBadInputTest {

    private static final String SECRET = "Zq9-secret-" + UUID.randomUUID().toString().substring(0, 6);

    private final TestBroker broker;

    AmqpBadInputTest(TestBroker broker) {
        this.broker = broker;
    }

    /** Runs an action with the log output (slf4j-simple writes to stderr) captured; returns what was logged. */
    private static String capturingLog(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        original.print(log);
        return log;
    }

    private static void assertNoSecret(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            assertFalse(String.valueOf(c.getMessage()).contains(SECRET), "secret in " + c);
            assertFalse(c.toString().contains(SECRET), "secret in " + c);
        }
    }

    private static <T extends Throwable> T expect(Class<T> type, Supplier<Object> action) {
        return assertThrows(type, action::get);
    }

    @Test
    @DisplayName("an unknown scheme is UnsupportedSchemeException naming the scheme")
    void unknownScheme() {
        UnsupportedSchemeException e = expect(UnsupportedSchemeException.class,
                () -> Connection.open("nosuch://guest:" + SECRET + "@localhost/"));
        assertTrue(e.getMessage().contains("nosuch"), e.getMessage());
        assertNoSecret(e);
    }

    @Test
    @DisplayName("invalid URLs are IllegalArgumentException that never echo the password")
    void invalidUrls() {
        for (String url : List.of("amqp://guest:" + SECRET + "@host:notaport/", "amqp//guest:" + SECRET + "@host/",
                "amqp://guest:" + SECRET + "@[::1/", "amqp://guest:" + SECRET + "@host:5672/?heartbeat=soon")) {
            IllegalArgumentException e = expect(IllegalArgumentException.class, () -> Connection.open(url));
            assertNoSecret(e);
        }
    }

    @Test
    @DisplayName("a wrong password is AuthenticationException at the first attempt, never retried, the password in no message and no log line")
    void wrongPassword() {
        ConnectionOptions options = broker.options().toBuilder().username("seedmq-nobody").password(SECRET).build();
        String log = capturingLog(() -> {
            long t0 = System.nanoTime();
            AuthenticationException e = expect(AuthenticationException.class, () -> Connection.open(options));
            assertNoSecret(e);
            assertTrue(Duration.ofNanos(System.nanoTime() - t0).compareTo(Duration.ofSeconds(4)) < 0, "not retried");
        });
        assertFalse(log.contains("attempt 1"), "not retried: " + log);
        assertFalse(log.contains(SECRET), log);
    }

    @Test
    @DisplayName("an unreachable host is ConnectionException after the retry policy's attempts, each logged without the password")
    void unreachableHost() {
        ConnectionOptions options = ConnectionOptions.fromUrl("amqp://guest:" + SECRET + "@127.0.0.1:1/").toBuilder()
                .connectionTimeout(Duration.ofSeconds(1)).build();
        String log = capturingLog(() -> {
            long t0 = System.nanoTime();
            ConnectionException e = expect(ConnectionException.class, () -> Connection.open(options));
            assertFalse(e instanceof AuthenticationException);
            assertNoSecret(e);
            assertTrue(Duration.ofNanos(System.nanoTime() - t0).compareTo(Duration.ofSeconds(10)) < 0, "bounded");
        });
        assertTrue(log.contains("attempt 1 of 3") && log.contains("attempt 2 of 3"), log);
        assertTrue(log.contains("giving up after 3 attempts"), log);
        assertTrue(log.contains("guest:****@127.0.0.1:1"), "the URL is shown redacted: " + log);
        assertFalse(log.contains(SECRET), log);
    }

    @Test
    @DisplayName("publishing to an exchange that vanished is EntityNotFoundException; the same connection's consumer and other publishes go on")
    void missingExchange() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        Exchange gone = Exchange.direct("seedmq-bad-gone-" + id);
        String q = "seedmq-bad-q-" + id;
        try (Connection conn = Connection.open(broker.options()); Connection admin = Connection.open(broker.options())) {
            BlockingQueue<String> received = new LinkedBlockingQueue<>();
            conn.consumer(ConsumerOptions.builder().queue(Queue.builder(q).build()).build(), m -> {
                received.add(m.payload(String.class));
                m.ack();
            }).start();
            conn.producer().publish("declared", Publish.to(gone).routingKey("k"));
            admin.deleteExchange(gone.name(), false);
            for (int i = 0; i < 3; i++) {
                expect(EntityNotFoundException.class, () -> {
                    conn.producer().publish("lost", Publish.to(gone).routingKey("k"));
                    return null;
                });
                conn.producer().publish("still works " + i, Publish.toQueue(q));
                assertEquals("still works " + i, received.poll(10, TimeUnit.SECONDS));
            }
            assertTrue(conn.isOpen());
            admin.deleteQueue(q);
        }
    }

    @Test
    @DisplayName("credentials never appear in the log across connect, recovery from a closed connection, publish and close")
    void noCredentialsInLogs() throws Exception {
        ConnectionOptions real = broker.options();
        String log = capturingLog(() -> {
            String name = "seedmq-bad-log-" + UUID.randomUUID().toString().substring(0, 8);
            try (Connection conn = Connection.open(real.toBuilder().connectionName(name)
                    .retryPolicy(io.seedmq.messaging.retry.RetryPolicy.builder().maxAttempts(30)
                            .maxInterval(Duration.ofSeconds(1)).build()).build())) {
                java.util.concurrent.CountDownLatch recovered = new java.util.concurrent.CountDownLatch(1);
                conn.addListener(new io.seedmq.messaging.ConnectionListener() {
                    @Override
                    public void onRecovered() {
                        recovered.countDown();
                    }
                });
                conn.producer().publish("x", Publish.toQueue(name).declare(Queue.builder(name).build()));
                System.err.println(conn + " " + conn.options());
                if (Rabbitmqctl.local(broker).isPresent()) {
                    Rabbitmqctl.local(broker).orElseThrow().closeConnections(name, "seedmq log scan");
                    assertTrue(recovered.await(30, TimeUnit.SECONDS));
                }
                conn.deleteQueue(name);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(log.contains(":****@"), "the URL appears, masked: " + log);
        if (real.password() != null && real.password().length() >= 6) {
            assertFalse(log.contains(real.password()), "the password is in the log");
        }
        assertFalse(log.contains("password="), log);
    }
}
