package io.seedmq.messaging.amqp;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seedmq.messaging.AuthenticationException;
import io.seedmq.messaging.ConnectionException;
import io.seedmq.messaging.ConnectionListener;
import io.seedmq.messaging.ConnectionOptions;
import io.seedmq.messaging.MessageProperties;
import io.seedmq.messaging.Queue;
import io.seedmq.messaging.amqp.test.Rabbitmqctl;
import io.seedmq.messaging.spi.Delivery;
import io.seedmq.messaging.spi.OutboundMessage;
import io.seedmq.messaging.spi.SubscribeOptions;
import io.seedmq.messaging.spi.Subscription;
import io.seedmq.messaging.spi.TransportConnection;
import io.seedmq.messaging.spi.TransportProvider;
import io.seedmq.messaging.test.BrokerKind;
import io.seedmq.messaging.test.SeedmqTest;
import io.seedmq.messaging.test.TestBroker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@SeedmqTest(broker = BrokerKind.RABBITMQ)
@DisplayName("AMQP transport: connecting, failing and recovering")
class AmqpConnectionTest {

    private static final String SECRET = "s3cr3t-Pa55";

    @Test
    @DisplayName("ServiceLoader finds the provider for amqp, amqps and rabbit")
    void serviceLoader() {
        TransportProvider provider = ServiceLoader.load(TransportProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.schemes().contains("amqp")).findFirst().orElseThrow();
        assertTrue(provider.schemes().containsAll(java.util.Set.of("amqps", "rabbit")));
    }

    @Test
    @DisplayName("refused credentials fail at once with AuthenticationException that never shows the password")
    void badCredentials(TestBroker broker) {
        ConnectionOptions options = broker.options().toBuilder().username("seedmq-nobody").password(SECRET).build();
        long start = System.nanoTime();
        AuthenticationException e = assertThrows(AuthenticationException.class,
                () -> new AmqpTransportProvider().connect(options));
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(4)) < 0,
                "no retries before giving up");
        assertNoSecret(e);
        assertFalse(options.toString().contains(SECRET));
    }

    @Test
    @DisplayName("a refused virtual host is an AuthenticationException")
    void badVirtualHost(TestBroker broker) {
        ConnectionOptions options = broker.options().toBuilder().virtualHost("seedmq-no-such-vhost").build();
        assertNoSecret(assertThrows(AuthenticationException.class, () -> new AmqpTransportProvider().connect(options)));
    }

    @Test
    @DisplayName("an unreachable host is a ConnectionException within the connection timeout")
    void unreachable() {
        ConnectionOptions options = ConnectionOptions.fromUrl("amqp://guest:" + SECRET + "@127.0.0.1:1/")
                .toBuilder().connectionTimeout(Duration.ofSeconds(2)).build();
        long start = System.nanoTime();
        ConnectionException e = assertThrows(ConnectionException.class,
                () -> new AmqpTransportProvider().connect(options));
        assertFalse(e instanceof AuthenticationException);
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(3)) < 0);
        assertNoSecret(e);
    }

    @Test
    @DisplayName("in-order failover skips a dead host and connects to the next")
    void failover(TestBroker broker) {
        ConnectionOptions live = broker.options();
        ConnectionOptions options = live.toBuilder()
                .addresses(java.util.List.of(new io.seedmq.messaging.Address("127.0.0.1", 1), live.addresses().get(0)))
                .build();
        try (TransportConnection conn = new AmqpTransportProvider().connect(options)) {
            assertTrue(conn.isOpen());
            assertTrue(conn.toString().contains(":****@"), conn.toString());
        }
    }

    @Test
    @DisplayName("close is idempotent, fires onClosed, and later publishes fail with ConnectionException")
    void close(TestBroker broker) throws Exception {
        TransportConnection conn = new AmqpTransportProvider().connect(broker.options());
        CountDownLatch closed = new CountDownLatch(1);
        conn.addListener(new ConnectionListener() {
            @Override
            public void onClosed() {
                closed.countDown();
            }
        });
        conn.close();
        conn.close();
        assertTrue(closed.await(5, TimeUnit.SECONDS));
        assertFalse(conn.isOpen());
        var publish = conn.publish(new OutboundMessage("", "x", MessageProperties.EMPTY, new byte[0], false));
        assertTrue(publish.isCompletedExceptionally());
        assertThrows(ConnectionException.class, () -> conn.checkQueue("x"));
    }

    @Test
    @DisplayName("a connection closed by the broker is recovered and the subscription keeps receiving")
    void recovery(TestBroker broker) throws Exception {
        assumeTrue(Rabbitmqctl.local(broker).isPresent(), "rabbitmqctl is not usable for this broker");
        String name = "seedmq-test-" + UUID.randomUUID().toString().substring(0, 8);
        String q = name + "-q";
        try (TransportConnection conn = new AmqpTransportProvider()
                .connect(broker.options().toBuilder().connectionName(name).build())) {
            CountDownLatch lost = new CountDownLatch(1);
            java.util.concurrent.Semaphore recoveries = new java.util.concurrent.Semaphore(0);
            conn.addListener(new ConnectionListener() {
                @Override
                public void onConnectionLost(Throwable cause) {
                    lost.countDown();
                }

                @Override
                public void onRecovered() {
                    recoveries.release();
                }
            });
            // Expires by itself should the test abort before deleting it.
            conn.declareQueue(Queue.builder(q).expires(Duration.ofMinutes(1)).build());
            RecordingListener listener = new RecordingListener();
            Subscription sub = conn.subscribe(q, new SubscribeOptions(10, false, false, null, Map.of()), listener);
            conn.publish(message(q, "before")).get(5, TimeUnit.SECONDS);
            Delivery before = listener.take(Duration.ofSeconds(5));
            before.ack();

            assertEquals(2, Rabbitmqctl.local(broker).orElseThrow().closeConnections(name, "seedmq recovery test"));
            assertTrue(lost.await(10, TimeUnit.SECONDS), "onConnectionLost");
            assertTrue(recoveries.tryAcquire(30, TimeUnit.SECONDS), "onRecovered");

            // The two connections (publish, consume) are closed one after the other, each by its own
            // rabbitmqctl call: the first may be back before the second is lost, so publish until the
            // second is back too.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                try {
                    conn.publish(message(q, "after")).get(5, TimeUnit.SECONDS);
                    break;
                } catch (java.util.concurrent.ExecutionException e) {
                    if (!(e.getCause() instanceof io.seedmq.messaging.ConnectionException) || System.nanoTime() > deadline) {
                        throw e;
                    }
                    assertTrue(recoveries.tryAcquire(30, TimeUnit.SECONDS), "the other connection recovers too");
                }
            }
            Delivery after = listener.take(Duration.ofSeconds(10));
            assertEquals("after", new String(after.body(), UTF_8));
            after.ack();
            assertTrue(sub.isActive());
            conn.deleteQueue(q, false, false);
        }
    }

    @Test
    @DisplayName("an unsettled delivery from before recovery is dropped quietly, and redelivered")
    void staleAck(TestBroker broker) throws Exception {
        assumeTrue(Rabbitmqctl.local(broker).isPresent(), "rabbitmqctl is not usable for this broker");
        String name = "seedmq-test-" + UUID.randomUUID().toString().substring(0, 8);
        String q = name + "-q";
        try (TransportConnection conn = new AmqpTransportProvider()
                .connect(broker.options().toBuilder().connectionName(name).build())) {
            CountDownLatch recovered = new CountDownLatch(1);
            conn.addListener(new ConnectionListener() {
                @Override
                public void onRecovered() {
                    recovered.countDown();
                }
            });
            // Expires by itself should the test abort before deleting it.
            conn.declareQueue(Queue.builder(q).expires(Duration.ofMinutes(1)).build());
            RecordingListener listener = new RecordingListener();
            conn.subscribe(q, new SubscribeOptions(1, false, false, null, Map.of()), listener);
            conn.publish(message(q, "once")).get(5, TimeUnit.SECONDS);
            Delivery stale = listener.take(Duration.ofSeconds(5));
            Rabbitmqctl.local(broker).orElseThrow().closeConnections(name, "seedmq stale ack test");
            assertTrue(recovered.await(30, TimeUnit.SECONDS), "onRecovered");
            stale.ack();
            Delivery again = listener.take(Duration.ofSeconds(10));
            assertTrue(again.info().redelivered());
            again.ack();
            conn.deleteQueue(q, false, false);
        }
    }

    private static OutboundMessage message(String queue, String body) {
        return new OutboundMessage("", queue, MessageProperties.builder().build(), body.getBytes(UTF_8), false);
    }

    private static void assertNoSecret(Throwable e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        assertFalse(trace.toString().contains(SECRET), trace.toString());
    }
}
