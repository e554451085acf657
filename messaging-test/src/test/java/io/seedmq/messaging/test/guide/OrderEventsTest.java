package io.seedmq.messaging.test.guide;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.seedmq.messaging.Binding;
import io.seedmq.messaging.Connection;
import io.seedmq.messaging.Exchange;
import io.seedmq.messaging.Message;
import io.seedmq.messaging.Publish;
import io.seedmq.messaging.test.MessageCollector;
import io.seedmq.messaging.test.SeedmqTest;
import io.seedmq.messaging.test.TestNames;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

// docs/testing.md, "Asserting on messages: MessageCollector"
@SeedmqTest
class OrderEventsTest {

    /** The code under test: announces what happens to an order on a topic exchange. */
    record OrderEvents(Connection connection, Exchange exchange) {
        void placed(String id) {
            connection.producer().publish(new OrderEvent(id, "placed"), Publish.to(exchange).routingKey("order.placed"));
        }

        void shipped(String id) {
            connection.producer().publish(new OrderEvent(id, "shipped"), Publish.to(exchange).routingKey("order.shipped"));
        }
    }

    /** What it publishes, as JSON. */
    public record OrderEvent(String id, String status) {
    }

    @Test
    void announcesEachStep(Connection connection, TestNames names) {
        Exchange orders = Exchange.topic(names.of("orders"));
        try (MessageCollector events = MessageCollector.bind(connection, Binding.to(orders, "order.*"))) {
            OrderEvents service = new OrderEvents(connection, orders);
            service.placed("o-1");
            service.shipped("o-1");

            List<Message> two = events.awaitMessages(2, Duration.ofSeconds(5));
            assertEquals("order.placed", two.get(0).routingKey());
            Message shipped = events.awaitMessage(m -> m.routingKey().equals("order.shipped"), Duration.ofSeconds(5));
            assertEquals(new OrderEvent("o-1", "shipped"), shipped.payload(OrderEvent.class));
        }
    }
}
