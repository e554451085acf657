package io.seedmq.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Exchange, Queue, Binding and Publish values")
class ValueTypesTest {

    @Test
    @DisplayName("queue builder writes RabbitMQ's x- arguments")
    void queueArguments() {
        Queue q = Queue.builder("tasks").messageTtl(Duration.ofSeconds(5)).expires(Duration.ofMinutes(30))
                .maxLength(100).overflowRejectPublish(true).deadLetterExchange("dlx")
                .deadLetterRoutingKey("dead").maxPriority(10).type(QueueType.CLASSIC).build();
        assertEquals(Map.of("x-message-ttl", 5000L, "x-expires", 1_800_000L, "x-max-length", 100L,
                "x-overflow", "reject-publish", "x-dead-letter-exchange", "dlx",
                "x-dead-letter-routing-key", "dead", "x-max-priority", 10, "x-queue-type", "classic"),
                q.arguments());
        assertTrue(q.durable());
    }

    @Test
    @DisplayName("out-of-range arguments are refused when built, not by the broker later")
    void badArguments() {
        assertThrows(IllegalArgumentException.class, () -> Queue.builder("q").maxPriority(0));
        assertThrows(IllegalArgumentException.class, () -> Queue.builder("q").maxPriority(256));
        assertThrows(IllegalArgumentException.class, () -> Queue.builder("q").maxLength(-1));
        assertThrows(IllegalArgumentException.class, () -> Queue.builder("q").messageTtl(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> Queue.builder("q").expires(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> Binding.to(Exchange.DEFAULT, "q"));
        assertThrows(IllegalArgumentException.class, () -> Publish.defaults().priority(300));
    }

    @Test
    @DisplayName("a server-named queue is temporary: exclusive, auto-delete, not durable")
    void serverNamed() {
        Queue q = Queue.serverNamed().bind(Binding.to(Exchange.fanout("logs")));
        assertTrue(q.isServerNamed());
        assertTrue(q.exclusive());
        assertTrue(q.autoDelete());
        assertFalse(q.durable());
        assertEquals(1, q.bindings().size());
    }

    @Test
    @DisplayName("headers bindings carry x-match")
    void headersBinding() {
        Binding b = Binding.headers(Exchange.headers("h"), Map.of("format", "pdf"), false);
        assertEquals("any", b.arguments().get("x-match"));
        assertEquals("pdf", b.arguments().get("format"));
    }

    @Test
    @DisplayName("Publish is an immutable template: changes make copies")
    void publishIsImmutable() {
        Publish base = Publish.to(Exchange.topic("topic_logs"));
        Publish error = base.routingKey("kern.error").header("h", 1).mandatory(true);
        assertEquals("", base.routingKey());
        assertFalse(base.mandatory());
        assertTrue(base.properties().headers().isEmpty());
        assertEquals("kern.error", error.routingKey());
        assertEquals(1, error.properties().headers().get("h"));
        assertTrue(error.properties().persistent(), "messages are persistent unless told otherwise");
        assertEquals(1, error.declarations().size(), "the exchange is declared before the first publish");
        assertTrue(Publish.toQueue("q").declarations().isEmpty());
    }

    @Test
    @DisplayName("exchange types map to their AMQP names")
    void exchangeTypes() {
        assertEquals("topic", ExchangeType.TOPIC.amqpName());
        assertEquals(ExchangeType.HEADERS, ExchangeType.fromAmqpName("Headers"));
        assertThrows(IllegalArgumentException.class, () -> ExchangeType.fromAmqpName("x-delayed"));
    }
}
