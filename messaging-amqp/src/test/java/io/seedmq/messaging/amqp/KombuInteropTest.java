package io.seedmq.messaging.amqp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import io.seedmq.messaging.Connection;
import io.seedmq.messaging.Consumer;
import io.seedmq.messaging.ConsumerOptions;
import io.seedmq.messaging.Message;
import io.seedmq.messaging.Producer;
import io.seedmq.messaging.Publish;
import io.seedmq.messaging.Queue;
import io.seedmq.messaging.amqp.test.PythonPeer;
import io.seedmq.messaging.serialization.JsonSerializer;
import io.seedmq.messaging.test.BrokerKind;
import io.seedmq.messaging.test.SeedmqTest;
import io.seedmq.messaging.test.TestBroker;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * seedmq and Python's kombu (Debian's {@code python3-kombu}) on one RabbitMQ: what one side
 * publishes, the other reads as the same values with the same properties.
 */
@SeedmqTest(broker = BrokerKind.RABBITMQ)
@DisplayName("Interoperability with kombu")
class KombuInteropTest {

    record Order(String id, int quantity) {
    }

    private final TestBroker broker;
    private Connection connection;
    private String queue;

    KombuInteropTest(TestBroker broker) {
        this.broker = broker;
    }

    @BeforeAll
    static void kombuIsInstalled() {
        PythonPeer.require("kombu", "python3-kombu");
    }

    @BeforeEach
    void open() {
        connection = Connection.open(broker.options());
        queue = "seedmq-interop-" + UUID.randomUUID();
        connection.declare(Queue.builder(queue).build());
    }

    @AfterEach
    void close() {
        connection.deleteQueue(queue);
        connection.close();
    }

    @Test
    @DisplayName("a kombu producer's JSON, text and binary messages reach a seedmq consumer as the same values")
    void kombuToSeedmq() throws Exception {
        BlockingQueue<Message> received = new LinkedBlockingQueue<>();
        Consumer consumer = connection.consumer(
                ConsumerOptions.builder().queue(Queue.named(queue)).declare(false).build(),
                received::add);
        consumer.start();
        try {
            PythonPeer.Result result = PythonPeer.run(Duration.ofSeconds(60), "kombu_produce.py", kombuUrl(), queue);
            assertEquals(0, result.exitCode(), result.toString());
            assertTrue(result.stdout().contains("published 4"), result.toString());

            Message json = next(received);
            assertEquals("application/json", json.contentType());
            assertEquals("utf-8", json.properties().contentEncoding());
            assertEquals("kombu", json.headers().get("source"));
            Map<String, Object> expected = new HashMap<>();
            expected.put("n", 1);
            expected.put("text", "h\u00e9llo \u2713");
            expected.put("list", Arrays.asList(1, 2.5, null, true));
            expected.put("nested", Map.of("a", Map.of("b", List.of())));
            assertEquals(expected, json.payload(new TypeReference<Map<String, Object>>() { }));
            assertTrue(json.properties().persistent(), "kombu publishes persistent messages by default");
            json.ack();

            Message list = next(received);
            assertEquals(List.of(1, "two", Map.of("three", 3)), list.payload(List.class));
            list.ack();

            Message text = next(received);
            assertEquals("text/plain", text.contentType());
            assertEquals("plain text from kombu", text.payload(String.class));
            text.ack();

            Message binary = next(received);
            assertEquals("application/data", binary.contentType());
            assertArrayEquals(new byte[] {0, 1, 'b', 'i', 'n', 'a', 'r', 'y', (byte) 0xff}, binary.payload(byte[].class));
            binary.ack();
        } finally {
            consumer.stop();
        }
    }

    @Test
    @DisplayName("seedmq's JSON, text and binary messages are read by a kombu consumer as the same values")
    void seedmqToKombu() throws Exception {
        Producer producer = connection.producer();
        Publish toQueue = Publish.toQueue(queue).header("source", "seedmq").correlationId("c-42");
        producer.publish(new Order("o-1", 3), toQueue);
        producer.publish(List.of(1, "two", Map.of("three", 3.5)), toQueue);
        producer.publish("plain text from seedmq \u2713", toQueue);
        producer.publish(new byte[] {0, 1, 2, (byte) 0xff}, toQueue);

        PythonPeer.Result result = PythonPeer.run(Duration.ofSeconds(60), "kombu_consume.py", kombuUrl(), queue, "4");
        assertEquals(0, result.exitCode(), result.toString());
        List<Map<String, Object>> seen = JsonSerializer.defaultMapper().readValue(result.stdout().trim(),
                new TypeReference<List<Map<String, Object>>>() { });
        assertEquals(4, seen.size(), result.toString());

        assertEquals(Map.of("id", "o-1", "quantity", 3), seen.get(0).get("payload"));
        assertEquals("application/json", seen.get(0).get("content_type"));
        assertEquals("utf-8", seen.get(0).get("content_encoding"));
        assertEquals(List.of(1, "two", Map.of("three", 3.5)), seen.get(1).get("payload"));
        assertEquals("plain text from seedmq \u2713", seen.get(2).get("payload"));
        assertEquals("text/plain", seen.get(2).get("content_type"));
        assertEquals(Map.of("__bytes__", List.of(0, 1, 2, 255)), seen.get(3).get("payload"));
        assertEquals("application/octet-stream", seen.get(3).get("content_type"));
        for (Map<String, Object> m : seen) {
            assertEquals(2, m.get("delivery_mode"), "persistent, as kombu sends");
            assertEquals(Map.of("source", "seedmq"), m.get("headers"));
            assertEquals("c-42", m.get("correlation_id"));
        }
    }

    private static Message next(BlockingQueue<Message> received) throws InterruptedException {
        Message m = received.poll(20, TimeUnit.SECONDS);
        assertNotNull(m, "no message from kombu within 20 s");
        return m;
    }

    /** The broker's URL as kombu writes it. */
    private String kombuUrl() {
        return PythonPeer.url("amqp", broker.options());
    }
}
