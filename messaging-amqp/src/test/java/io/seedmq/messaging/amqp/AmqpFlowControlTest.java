package io.seedmq.messaging.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seedmq.messaging.Connection;
import io.seedmq.messaging.Consumer;
import io.seedmq.messaging.ConsumerOptions;
import io.seedmq.messaging.Publish;
import io.seedmq.messaging.PublishWindow;
import io.seedmq.messaging.Queue;
import io.seedmq.messaging.retry.RetryPolicy;
import io.seedmq.messaging.test.BrokerKind;
import io.seedmq.messaging.test.SeedmqTest;
import io.seedmq.messaging.test.TestBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Flow control for publishers on RabbitMQ: the window of unconfirmed asynchronous publishes holds a
 * publisher faster than the broker back (bounded memory, bounded waits); nothing confirmed is lost.
 * The broker's memory alarm is {@link AmqpMemoryAlarmTest}'s.
 */
@SeedmqTest(broker = BrokerKind.RABBITMQ)
@DisplayName("Flow control: the publish window")
class AmqpFlowControlTest {

    private static final int WINDOW = 200;
    private static final int MESSAGES = 20_000;
    private static final Duration OPERATION_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final TestBroker broker;
    private final String id = UUID.randomUUID().toString().substring(0, 8);

    AmqpFlowControlTest(TestBroker broker) {
        this.broker = broker;
    }

    @Test
    @DisplayName("a publisher faster than the broker and a stalled consumer: a bounded window, waited on, no loss")
    void publisherIsHeldBack() throws Exception {
        String q = "seedmq-flow-" + id;
        try (Connection conn = Connection.open(broker.options().toBuilder().connectionName("seedmq-flow-" + id)
                .maxUnconfirmedPublishes(WINDOW).operationTimeout(OPERATION_TIMEOUT).retryPolicy(RetryPolicy.none()).build())) {
            Queue queue = Queue.builder(q).durable(true).build();
            conn.declare(queue);
            // A consumer that takes one message and never settles it: the queue only grows.
            Consumer stalled = conn.consumer(ConsumerOptions.builder().queue(queue).prefetch(1).build(), m -> { });
            stalled.start();
            try {
                Publish publish = Publish.toQueue(q).persistent(false);
                List<CompletableFuture<Void>> futures = new ArrayList<>(MESSAGES);
                int most = 0;
                boolean full = false;
                for (int i = 0; i < MESSAGES; i++) {
                    futures.add(conn.producer().publishAsync(i, publish));
                    PublishWindow window = conn.producer().window();
                    most = Math.max(most, window.unconfirmed());
                    full |= window.unconfirmed() == WINDOW;
                }
                CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertTrue(most <= WINDOW, "at most " + WINDOW + " unconfirmed at once, saw " + most);
                assertTrue(full, "a publisher this fast fills the window, and waits for room");
                assertEquals(0, conn.producer().window().unconfirmed());
                // Every confirmed message is in the queue, or held by the stalled consumer.
                assertEquals(MESSAGES - 1, conn.queueInfo(q).messageCount());
            } finally {
                stalled.stop(Duration.ZERO);
                conn.deleteQueue(q);
            }
        }
    }
}
