package io.seedmq.messaging.inmemory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seedmq.messaging.Binding;
import io.seedmq.messaging.Exchange;
import io.seedmq.messaging.MessageProperties;
import io.seedmq.messaging.PublishRejectedException;
import io.seedmq.messaging.Queue;
import io.seedmq.messaging.spi.Delivery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Queue arguments: TTL, dead-lettering, max-length, priority")
class QueueArgumentsTest extends Fixture {
    private final Recorder dead = new Recorder();

    @BeforeEach
    void deadLetterQueue() {
        Exchange dlx = Exchange.direct("dlx");
        conn.declareExchange(dlx);
        declare("dead");
        conn.bind("dead", Binding.to(dlx, "dead-key"));
        conn.subscribe("dead", autoAck(), dead);
    }

    private Queue.Builder deadLettering(String name) {
        return Queue.builder(name).deadLetterExchange("dlx").deadLetterRoutingKey("dead-key");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> firstDeath(Delivery d) {
        return ((List<Map<String, Object>>) d.properties().headers().get("x-death")).get(0);
    }

    @Test
    @DisplayName("a message rejected without requeue is dead-lettered with an x-death entry")
    void rejectedDeadLettered() {
        conn.declareQueue(deadLettering("work").build());
        send("work", "poison");
        conn.get("work", false).orElseThrow().reject(false);
        Delivery d = dead.next();
        assertEquals("poison", text(d));
        assertEquals("dlx", d.info().exchange());
        assertEquals("dead-key", d.info().routingKey());
        Map<String, Object> death = firstDeath(d);
        assertEquals("work", death.get("queue"));
        assertEquals("rejected", death.get("reason"));
        assertEquals(1L, death.get("count"));
        assertEquals("", death.get("exchange"));
        assertEquals(List.of("work"), death.get("routing-keys"));
        assertEquals("rejected", d.properties().headers().get("x-first-death-reason"));
        assertEquals("work", d.properties().headers().get("x-first-death-queue"));
    }

    @Test
    @DisplayName("messages expire by queue TTL even when nobody consumes, and are dead-lettered as expired")
    void queueTtl() {
        conn.declareQueue(deadLettering("ttl").messageTtl(Duration.ofMillis(50)).build());
        send("ttl", "old");
        Delivery d = dead.next();
        assertEquals("old", text(d));
        assertEquals("expired", firstDeath(d).get("reason"));
        assertEquals(0, conn.checkQueue("ttl").messageCount());
    }

    @Test
    @DisplayName("a per-message expiration expires the message and is removed from the dead-lettered copy")
    void messageExpiration() {
        conn.declareQueue(deadLettering("exp").build());
        conn.publish(message("", "exp", "brief",
                MessageProperties.builder().expiration(Duration.ofMillis(30)).build())).join();
        conn.publish(message("", "exp", "lasting")).join();
        Delivery d = dead.next();
        assertEquals("brief", text(d));
        assertNull(d.properties().expiration());
        assertEquals("30", firstDeath(d).get("original-expiration"));
        assertEquals("lasting", text(conn.get("exp", true).orElseThrow()));
    }

    @Test
    @DisplayName("a message expired on arrival in an empty queue is dropped at once, never delivered")
    void expiredNeverDelivered() {
        conn.declareQueue(Queue.builder("zero").messageTtl(Duration.ZERO).build());
        send("zero", "gone");
        assertFalse(conn.get("zero", true).isPresent());
    }

    @Test
    @DisplayName("a publish reaches every queue it routes to before one of them dead-letters it (found by the differential test)")
    void publishBeforeItsDeadLetters() {
        Exchange fan = Exchange.fanout("fan");
        conn.declareExchange(fan);
        conn.declareQueue(Queue.builder("instant").messageTtl(Duration.ZERO)
                .deadLetterExchange("fan").build());
        declare("keeper");
        conn.bind("instant", Binding.to(fan));
        conn.bind("keeper", Binding.to(fan));

        publish("fan", "", "m");

        Delivery original = conn.get("keeper", true).orElseThrow();
        assertNull(original.properties().headers().get("x-death"), "the published message comes first");
        Delivery copy = conn.get("keeper", true).orElseThrow();
        assertEquals("expired", firstDeath(copy).get("reason"));
        assertEquals(0, conn.checkQueue("instant").messageCount(), "a dead letter does not return to its queue");
    }

    @Test
    @DisplayName("max-length drops the oldest message and dead-letters it as maxlen")
    void maxLengthDropHead() {
        conn.declareQueue(deadLettering("short").maxLength(2).build());
        send("short", "1");
        send("short", "2");
        send("short", "3");
        Delivery d = dead.next();
        assertEquals("1", text(d));
        assertEquals("maxlen", firstDeath(d).get("reason"));
        assertEquals(2, conn.checkQueue("short").messageCount());
        assertEquals("2", text(conn.get("short", true).orElseThrow()));
    }

    @Test
    @DisplayName("max-length with reject-publish refuses the publish")
    void maxLengthRejectPublish() {
        conn.declareQueue(Queue.builder("full").maxLength(1).overflowRejectPublish(true).build());
        send("full", "1");
        CompletionException e = assertThrows(CompletionException.class, () -> send("full", "2"));
        assertInstanceOf(PublishRejectedException.class, e.getCause());
        assertEquals(1, conn.checkQueue("full").messageCount());
    }

    @Test
    @DisplayName("a dead-letter cycle of expiries is broken by dropping the message")
    void expiryCycleDropped() {
        conn.declareQueue(Queue.builder("loop").messageTtl(Duration.ofMillis(10))
                .deadLetterExchange("").build());
        send("loop", "round and round");
        awaitCondition("message expired", () -> conn.checkQueue("loop").messageCount() == 0);
        assertFalse(conn.get("loop", true).isPresent());
    }

    @Test
    @DisplayName("a reject-then-expire retry loop keeps counting in x-death")
    void retryLoopCounts() {
        Exchange retry = Exchange.direct("retry");
        conn.declareExchange(retry);
        conn.declareQueue(Queue.builder("jobs").deadLetterExchange("retry").build());
        conn.declareQueue(Queue.builder("wait").messageTtl(Duration.ofMillis(10))
                .deadLetterExchange("").deadLetterRoutingKey("jobs").build());
        conn.bind("wait", Binding.to(retry, "jobs"));
        Recorder jobs = new Recorder();
        conn.subscribe("jobs", manual(1), jobs);
        send("jobs", "flaky");
        jobs.next().reject(false);
        jobs.next().reject(false);
        Delivery third = jobs.next();
        Map<String, Object> last = firstDeath(third);
        assertEquals("wait", last.get("queue"));
        assertEquals("expired", last.get("reason"));
        assertEquals(2L, last.get("count"));
        third.ack();
    }

    @Test
    @DisplayName("higher priority first, FIFO within a priority, above max treated as max; no max-priority ignores priority")
    void priorities() {
        conn.declareQueue(Queue.builder("prio").maxPriority(5).build());
        declare("plain");
        for (String q : List.of("prio", "plain")) {
            publishWithPriority(q, "low-1", 1);
            publishWithPriority(q, "none", null);
            publishWithPriority(q, "high-1", 5);
            publishWithPriority(q, "huge", 200);
            publishWithPriority(q, "low-2", 1);
        }
        assertEquals(List.of("high-1", "huge", "low-1", "low-2", "none"), drain("prio"));
        assertEquals(List.of("low-1", "none", "high-1", "huge", "low-2"), drain("plain"));
    }

    private void publishWithPriority(String queue, String body, Integer priority) {
        conn.publish(message("", queue, body, MessageProperties.builder().priority(priority).build())).join();
    }

    private List<String> drain(String queue) {
        List<String> out = new ArrayList<>();
        for (var d = conn.get(queue, true); d.isPresent(); d = conn.get(queue, true)) {
            out.add(text(d.get()));
        }
        return out;
    }

    @Test
    @DisplayName("deleting a queue drops its messages rather than dead-lettering them")
    void deleteDoesNotDeadLetter() {
        conn.declareQueue(deadLettering("doomed").build());
        send("doomed", "x");
        assertEquals(1, conn.deleteQueue("doomed", false, false));
        dead.assertNoMore();
        assertTrue(broker.queueExists("dead"));
    }
}
