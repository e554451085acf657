package io.seedmq.messaging.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seedmq.messaging.Binding;
import io.seedmq.messaging.Connection;
import io.seedmq.messaging.EntityNotFoundException;
import io.seedmq.messaging.Exchange;
import io.seedmq.messaging.Message;
import io.seedmq.messaging.Publish;
import io.seedmq.messaging.Queue;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@SeedmqTest
@DisplayName("MessageCollector")
class MessageCollectorTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration SHORT = Duration.ofMillis(200);

    @Test
    @DisplayName("collects what bindings route and waits for a count, then for a match")
    void bindings(Connection connection, TestNames names) {
        Exchange logs = Exchange.topic(names.of("logs"));
        try (MessageCollector kernel = MessageCollector.bind(connection, Binding.to(logs, "kern.*"))) {
            Publish publish = Publish.to(logs);
            connection.producer().publish("booted", publish.routingKey("kern.info"));
            connection.producer().publish("ignored", publish.routingKey("cron.info"));
            connection.producer().publish("disk full", publish.routingKey("kern.critical"));
            List<Message> two = kernel.awaitMessages(2, WAIT);
            assertEquals(List.of("booted", "disk full"), two.stream().map(m -> m.payload(String.class)).toList());
            Message critical = kernel.awaitMessage(m -> m.routingKey().endsWith("critical"), WAIT);
            assertEquals("disk full", critical.payload(String.class));
            assertTrue(kernel.queue().startsWith("amq.gen-"), kernel.queue());
        }
    }

    @Test
    @DisplayName("collects from a queue someone else declared, without declaring it again")
    void existingQueue(Connection owner, Connection test, TestNames names) {
        Queue jobs = Queue.named(names.of("jobs"));
        owner.declare(jobs);
        try (MessageCollector collector = MessageCollector.on(test, jobs.name())) {
            owner.producer().publish(new Job("j-1", 3), Publish.toQueue(jobs.name()));
            assertEquals(new Job("j-1", 3), collector.awaitPayload(Job.class, new Job("j-1", 3), WAIT).payload(Job.class));
            assertEquals(List.of(new Job("j-1", 3)), collector.payloads(Job.class));
        }
        assertThrows(EntityNotFoundException.class, () -> MessageCollector.on(test, names.of("missing")));
    }

    @Test
    @DisplayName("a wait that runs out fails, listing what did arrive")
    void readableFailure(Connection connection, TestNames names) {
        Queue queue = Queue.named(names.of("orders"));
        try (MessageCollector orders = MessageCollector.on(connection, queue)) {
            connection.producer().publish("first order", Publish.toQueue(queue.name()).routingKey(queue.name()));
            orders.awaitMessages(1, WAIT);
            AssertionError tooFew = assertThrows(AssertionError.class, () -> orders.awaitMessages(2, SHORT));
            assertTrue(tooFew.getMessage().contains("expected 2 messages within 200 ms, 1 arrived:"), tooFew.getMessage());
            assertTrue(tooFew.getMessage().contains("1. exchange '' key '" + queue.name() + "' text/plain 'first order'"),
                    tooFew.getMessage());
            assertTrue(tooFew.getMessage().startsWith("on queue '" + queue.name() + "'"), tooFew.getMessage());
            AssertionError noMatch = assertThrows(AssertionError.class,
                    () -> orders.awaitPayload(String.class, "second order", SHORT));
            assertTrue(noMatch.getMessage().contains("to match payload second order") && noMatch.getMessage()
                    .contains("'first order'"), noMatch.getMessage());
            orders.clear();
            AssertionError nothing = assertThrows(AssertionError.class, () -> orders.awaitMessages(1, SHORT));
            assertTrue(nothing.getMessage().contains("nothing arrived"), nothing.getMessage());
        }
    }

    /** A JSON payload. */
    public record Job(String id, int weight) {
    }
}
