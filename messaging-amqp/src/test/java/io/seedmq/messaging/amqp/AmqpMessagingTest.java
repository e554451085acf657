package io.seedmq.messaging.amqp;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seedmq.messaging.Binding;
import io.seedmq.messaging.EntityNotFoundException;
import io.seedmq.messaging.Exchange;
import io.seedmq.messaging.ExchangeType;
import io.seedmq.messaging.MessageProperties;
import io.seedmq.messaging.Queue;
import io.seedmq.messaging.UndeliverableException;
import io.seedmq.messaging.spi.Delivery;
import io.seedmq.messaging.spi.OutboundMessage;
import io.seedmq.messaging.spi.SubscribeOptions;
import io.seedmq.messaging.spi.Subscription;
import io.seedmq.messaging.spi.TransportCapability;
import io.seedmq.messaging.spi.TransportConnection;
import io.seedmq.messaging.test.BrokerKind;
import io.seedmq.messaging.test.SeedmqTest;
import io.seedmq.messaging.test.TestBroker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@SeedmqTest(broker = BrokerKind.RABBITMQ)
@DisplayName("AMQP transport: publishing and consuming on RabbitMQ")
class AmqpMessagingTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private TransportConnection conn;
    private final List<String> queues = new ArrayList<>();
    private final List<String> exchanges = new ArrayList<>();
    private final String prefix = "seedmq-test-" + UUID.randomUUID().toString().substring(0, 8) + "-";

    @BeforeEach
    void open(TestBroker broker) {
        conn = new AmqpTransportProvider().connect(broker.options());
    }

    @AfterEach
    void cleanUp() {
        if (conn.isOpen()) {
            queues.forEach(q -> conn.deleteQueue(q, false, false));
            exchanges.forEach(e -> conn.deleteExchange(e, false));
        }
        conn.close();
    }

    private String queue(String suffix) {
        String name = prefix + suffix;
        conn.declareQueue(Queue.builder(name).build());
        queues.add(name);
        return name;
    }

    private Exchange exchange(String suffix, ExchangeType type) {
        Exchange e = Exchange.builder(prefix + suffix, type).durable(false).build();
        conn.declareExchange(e);
        exchanges.add(e.name());
        return e;
    }

    private static OutboundMessage message(String exchange, String key, String body) {
        return new OutboundMessage(exchange, key, MessageProperties.builder().build(), body.getBytes(UTF_8), false);
    }

    private static void confirmed(CompletableFuture<Void> publish) throws Exception {
        publish.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static Throwable failure(CompletableFuture<Void> publish) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> publish.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        return e.getCause();
    }

    private String text(Optional<Delivery> d) {
        assertTrue(d.isPresent(), "a message was expected");
        d.get().ack();
        return new String(d.get().body(), UTF_8);
    }

    @Test
    @DisplayName("advertises confirms, persistence and recovery")
    void capabilities() {
        assertEquals(java.util.EnumSet.allOf(TransportCapability.class), conn.capabilities());
    }

    @Test
    @DisplayName("the default exchange routes by queue name and the publish is confirmed")
    void defaultExchange() throws Exception {
        String q = queue("plain");
        confirmed(conn.publish(message("", q, "hello")));
        assertEquals("hello", text(conn.get(q, false)));
        assertTrue(conn.get(q, false).isEmpty());
    }

    @Test
    @DisplayName("direct, fanout, topic and headers exchanges route as RabbitMQ defines")
    void exchangeTypes() throws Exception {
        Exchange direct = exchange("direct", ExchangeType.DIRECT);
        Exchange fanout = exchange("fanout", ExchangeType.FANOUT);
        Exchange topic = exchange("topic", ExchangeType.TOPIC);
        Exchange headers = exchange("headers", ExchangeType.HEADERS);
        String qd = queue("qd");
        String qf = queue("qf");
        String qt = queue("qt");
        String qh = queue("qh");
        conn.bind(qd, Binding.to(direct, "error"));
        conn.bind(qf, Binding.to(fanout));
        conn.bind(qt, Binding.to(topic, "kern.*"));
        conn.bind(qh, Binding.headers(headers, Map.of("format", "pdf"), true));

        confirmed(conn.publish(message(direct.name(), "info", "dropped")));
        confirmed(conn.publish(message(direct.name(), "error", "direct")));
        confirmed(conn.publish(message(fanout.name(), "whatever", "fanout")));
        confirmed(conn.publish(message(topic.name(), "kern.disk.full", "too deep")));
        confirmed(conn.publish(message(topic.name(), "kern.critical", "topic")));
        confirmed(conn.publish(new OutboundMessage(headers.name(), "", MessageProperties.builder()
                .header("format", "pdf").build(), "headers".getBytes(UTF_8), false)));

        assertEquals("direct", text(conn.get(qd, false)));
        assertEquals("fanout", text(conn.get(qf, false)));
        assertEquals("topic", text(conn.get(qt, false)));
        assertEquals("headers", text(conn.get(qh, false)));
        for (String q : List.of(qd, qf, qt, qh)) {
            assertEquals(0, conn.checkQueue(q).messageCount(), q);
        }
    }

    @Test
    @DisplayName("an unroutable mandatory publish fails with UndeliverableException; others still confirm")
    void mandatoryReturn() throws Exception {
        Exchange direct = exchange("mandatory", ExchangeType.DIRECT);
        String q = queue("routed");
        conn.bind(q, Binding.to(direct, "yes"));
        CompletableFuture<Void> routed = conn.publish(new OutboundMessage(direct.name(), "yes",
                MessageProperties.builder().build(), "a".getBytes(UTF_8), true));
        CompletableFuture<Void> unroutable = conn.publish(new OutboundMessage(direct.name(), "no",
                MessageProperties.builder().build(), "b".getBytes(UTF_8), true));
        CompletableFuture<Void> dropped = conn.publish(message(direct.name(), "no", "c"));
        confirmed(routed);
        confirmed(dropped);
        UndeliverableException e = assertInstanceOf(UndeliverableException.class, failure(unroutable));
        assertEquals(312, e.replyCode());
        assertEquals("no", e.routingKey());
        assertEquals(direct.name(), e.exchange());
    }

    @Test
    @DisplayName("publishing to a missing exchange fails with EntityNotFoundException and the connection goes on")
    void missingExchange() throws Exception {
        String q = queue("after");
        for (int i = 0; i < 3; i++) {
            Throwable t = failure(conn.publish(message(prefix + "absent", "k", "lost")));
            assertInstanceOf(EntityNotFoundException.class, t, String.valueOf(t));
            confirmed(conn.publish(message("", q, "still works " + i)));
        }
        assertEquals(3, conn.checkQueue(q).messageCount());
    }

    @Test
    @DisplayName("every message property and nested headers survive the round trip")
    void propertiesRoundTrip() throws Exception {
        String q = queue("props");
        Instant ts = Instant.parse("2024-05-01T10:15:30Z");
        MessageProperties sent = MessageProperties.builder()
                .contentType("application/json").contentEncoding("utf-8")
                .header("s", "text").header("i", 42).header("l", 1L << 40).header("b", true)
                .header("list", List.of("a", 1, List.of("nested")))
                .header("map", Map.of("k", "v", "inner", Map.of("x", 2)))
                .persistent(true).priority(5).correlationId("corr").replyTo("reply-q")
                .expiration(Duration.ofMinutes(1)).messageId("mid").timestamp(ts).type("t")
                .userId("guest").appId("app").build();
        confirmed(conn.publish(new OutboundMessage("", q, sent, "{}".getBytes(UTF_8), false)));
        Delivery d = conn.get(q, true).orElseThrow();
        MessageProperties got = d.properties();
        assertEquals(sent, got);
        assertInstanceOf(String.class, ((List<?>) got.headers().get("list")).get(0));
        assertArrayEquals("{}".getBytes(UTF_8), d.body());

        MessageProperties bare = MessageProperties.builder().persistent(false).build();
        confirmed(conn.publish(new OutboundMessage("", q, bare, new byte[0], false)));
        MessageProperties gotBare = conn.get(q, true).orElseThrow().properties();
        assertEquals(bare, gotBare);
        assertFalse(gotBare.persistent());
        assertNull(gotBare.expiration());
    }

    @Test
    @DisplayName("a subscription holds at most prefetch unacknowledged deliveries")
    void prefetch() throws Exception {
        String q = queue("prefetch");
        for (int i = 0; i < 5; i++) {
            confirmed(conn.publish(message("", q, "m" + i)));
        }
        RecordingListener listener = new RecordingListener();
        Subscription sub = conn.subscribe(q, new SubscribeOptions(2, false, false, null, Map.of()), listener);
        Delivery first = listener.take(WAIT);
        listener.take(WAIT);
        assertNull(listener.poll(Duration.ofMillis(300)), "a third delivery exceeds prefetch 2");
        first.ack();
        Delivery third = listener.take(WAIT);
        assertEquals("m2", new String(third.body(), UTF_8));
        assertFalse(third.info().redelivered());
        sub.cancel();
        assertFalse(sub.isActive());
    }

    @Test
    @DisplayName("a requeued delivery comes back flagged redelivered")
    void requeue() throws Exception {
        String q = queue("requeue");
        confirmed(conn.publish(message("", q, "again")));
        RecordingListener listener = new RecordingListener();
        Subscription sub = conn.subscribe(q, new SubscribeOptions(1, false, false, null, Map.of()), listener);
        listener.take(WAIT).reject(true);
        Delivery again = listener.take(WAIT);
        assertTrue(again.info().redelivered());
        assertEquals(q, again.info().queue());
        assertEquals(sub.consumerTag(), again.info().consumerTag());
        again.ack();
        sub.cancel();
    }

    @Test
    @DisplayName("deleting a consumed queue reaches the listener as a broker cancel")
    void brokerCancel() throws Exception {
        String q = prefix + "doomed";
        conn.declareQueue(Queue.builder(q).build());
        RecordingListener listener = new RecordingListener();
        Subscription sub = conn.subscribe(q, new SubscribeOptions(0, true, false, null, Map.of()), listener);
        conn.deleteQueue(q, false, false);
        assertTrue(listener.cancelled.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertFalse(sub.isActive());
    }

    @Test
    @DisplayName("after cancel, a delivery still held can be acknowledged and is not redelivered")
    void cancelKeepsUnsettled() throws Exception {
        String q = queue("held");
        confirmed(conn.publish(message("", q, "held")));
        RecordingListener listener = new RecordingListener();
        Subscription sub = conn.subscribe(q, new SubscribeOptions(1, false, false, null, Map.of()), listener);
        Delivery held = listener.take(WAIT);
        sub.cancel();
        assertFalse(sub.isActive());
        assertEquals(0, conn.checkQueue(q).consumerCount());
        assertEquals(0, conn.checkQueue(q).messageCount(), "still unacknowledged, not requeued");
        held.ack();
        RecordingListener second = new RecordingListener();
        Subscription again = conn.subscribe(q, new SubscribeOptions(1, false, false, null, Map.of()), second);
        assertNull(second.poll(Duration.ofMillis(300)), "acknowledged, so never redelivered");
        again.cancel();
    }

    @Test
    @DisplayName("subscribing to a missing queue is EntityNotFoundException; to an exclusively consumed one AccessRefusedException")
    void subscribeFailures() {
        assertThrows(EntityNotFoundException.class, () -> conn.subscribe(prefix + "missing",
                new SubscribeOptions(1, false, false, null, Map.of()), new RecordingListener()));
        String q = queue("exclusive");
        Subscription first = conn.subscribe(q, new SubscribeOptions(1, false, true, null, Map.of()),
                new RecordingListener());
        assertThrows(io.seedmq.messaging.AccessRefusedException.class, () -> conn.subscribe(q,
                new SubscribeOptions(1, false, false, null, Map.of()), new RecordingListener()));
        assertTrue(first.isActive());
        first.cancel();
    }

    @Test
    @DisplayName("concurrent publishers from many threads all get their confirms")
    void concurrentPublishers() throws Exception {
        String q = queue("many");
        int threads = 8;
        int each = 200;
        List<CompletableFuture<Void>> all = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        all.add(conn.publish(message("", q, "x")));
                    }
                }));
            }
            for (java.util.concurrent.Future<?> f : done) {
                f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } finally {
            pool.shutdown();
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(WAIT.toMillis() * 2, TimeUnit.MILLISECONDS);
        assertEquals(threads * each, conn.checkQueue(q).messageCount());
    }
}
