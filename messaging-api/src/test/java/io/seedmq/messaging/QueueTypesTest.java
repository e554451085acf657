package io.seedmq.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Queue types, stream offsets and consumer arguments, before anything reaches a broker")
class QueueTypesTest {

    @Test
    @DisplayName("Queue.quorum and Queue.stream declare durable queues of their type with RabbitMQ's argument spellings")
    void builders() {
        Queue q = Queue.quorum("orders").deliveryLimit(5).deadLetterExchange("dlx").atLeastOnceDeadLettering()
                .initialGroupSize(3).singleActiveConsumer(true).build();
        assertEquals(QueueType.QUORUM, q.type());
        assertTrue(q.durable());
        assertEquals(Map.of("x-queue-type", "quorum", "x-delivery-limit", 5, "x-dead-letter-exchange", "dlx",
                "x-dead-letter-strategy", "at-least-once", "x-overflow", "reject-publish",
                "x-quorum-initial-group-size", 3, "x-single-active-consumer", true), q.arguments());

        Queue s = Queue.stream("audit").maxAge(Duration.ofDays(7)).maxLengthBytes(1_000_000)
                .streamMaxSegmentSizeBytes(100_000).build();
        assertEquals(QueueType.STREAM, s.type());
        assertEquals(Map.of("x-queue-type", "stream", "x-max-age", "7D", "x-max-length-bytes", 1_000_000L,
                "x-stream-max-segment-size-bytes", 100_000L), s.arguments());
        assertEquals(QueueType.CLASSIC, Queue.named("plain").type());
    }

    @Test
    @DisplayName("maxAge is written in the largest exact unit RabbitMQ reads: D, h, m or s")
    void maxAgeSpelling() {
        assertEquals("2h", Queue.stream("s").maxAge(Duration.ofHours(2)).build().arguments().get("x-max-age"));
        assertEquals("90m", Queue.stream("s").maxAge(Duration.ofMinutes(90)).build().arguments().get("x-max-age"));
        assertEquals("3601s", Queue.stream("s").maxAge(Duration.ofSeconds(3601)).build().arguments().get("x-max-age"));
        assertThrows(IllegalArgumentException.class, () -> Queue.stream("s").maxAge(Duration.ofMillis(1500)));
    }

    @Test
    @DisplayName("the builder refuses what RabbitMQ refuses for quorum queues and streams, naming the rule")
    void builderRefusesByType() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Queue.quorum("q").durable(false).build());
        assertTrue(e.getMessage().contains("non-durable"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Queue.quorum("q").exclusive(true).build());
        assertThrows(IllegalArgumentException.class, () -> Queue.quorum("q").autoDelete(true).build());
        assertThrows(IllegalArgumentException.class, () -> Queue.quorum("").build());
        assertThrows(IllegalArgumentException.class, () -> Queue.quorum("q").maxPriority(5).build());
        assertThrows(IllegalArgumentException.class, () -> Queue.stream("s").messageTtl(Duration.ofSeconds(1)).build());
        assertThrows(IllegalArgumentException.class, () -> Queue.stream("s").deadLetterExchange("dlx").build());
        assertThrows(IllegalArgumentException.class, () -> Queue.stream("s").singleActiveConsumer(true).build());
        assertThrows(IllegalArgumentException.class, () -> Queue.stream("s").deliveryLimit(3).build());
        assertThrows(IllegalArgumentException.class, () -> Queue.named("c").toBuilder().deliveryLimit(3).build(),
                "a classic queue would silently ignore a delivery limit");
        assertThrows(IllegalArgumentException.class, () -> Queue.builder("c").maxAge(Duration.ofDays(1)).build());
        assertThrows(IllegalArgumentException.class, () -> Queue.quorum("q").atLeastOnceDeadLettering()
                .overflowRejectPublish(false).build(), "at-least-once needs reject-publish");
        assertThrows(IllegalArgumentException.class, () -> Queue.builder("x").argument("x-queue-type", "bogus").build());
    }

    @Test
    @DisplayName("stream offsets are the values of x-stream-offset, and read back from them")
    void streamOffsets() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        assertEquals("first", StreamOffset.first().argumentValue());
        assertEquals(42L, StreamOffset.offset(42).argumentValue());
        assertEquals(t, StreamOffset.timestamp(t).argumentValue());
        assertEquals(StreamOffset.offset(7), StreamOffset.parse(7));
        assertEquals(StreamOffset.timestamp(t), StreamOffset.parse(java.util.Date.from(t)));
        assertEquals(StreamOffset.next(), StreamOffset.parse(null));
        assertThrows(IllegalArgumentException.class, () -> StreamOffset.parse("bogus"));
        assertThrows(IllegalArgumentException.class, () -> StreamOffset.offset(-1));
    }

    @Test
    @DisplayName("consumer priority, stream offset and any argument become subscription arguments; a stream needs manual acks and a prefetch")
    void consumerArguments() {
        ConsumerOptions o = ConsumerOptions.builder().queue("s").prefetch(10).priority(5)
                .streamOffset(StreamOffset.first()).argument("x-custom", "v").build();
        assertEquals(Map.of("x-priority", 5, "x-stream-offset", "first", "x-custom", "v"), o.arguments());
        assertEquals(o, o.toBuilder().build());

        assertThrows(IllegalArgumentException.class, () -> ConsumerOptions.builder().queue("s")
                .streamOffset(StreamOffset.first()).build(), "no prefetch");
        assertThrows(IllegalArgumentException.class, () -> ConsumerOptions.builder()
                .queue(Queue.stream("s").build()).prefetch(10).ackMode(AckMode.AUTO).build(), "automatic acks");
    }
}
