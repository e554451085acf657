package io.seedmq.messaging.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seedmq.messaging.Connection;
import io.seedmq.messaging.ConnectionListener;
import io.seedmq.messaging.Consumer;
import io.seedmq.messaging.ConsumerOptions;
import io.seedmq.messaging.OperationTimeoutException;
import io.seedmq.messaging.Publish;
import io.seedmq.messaging.PublishWindow;
import io.seedmq.messaging.Queue;
import io.seedmq.messaging.amqp.test.FaultNode;
import io.seedmq.messaging.amqp.test.FaultBroker;
import io.seedmq.messaging.amqp.test.Rabbitmqctl;
import io.seedmq.messaging.retry.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Flow control for publishers on RabbitMQ: the window of unconfirmed asynchronous publishes holds a
 * publisher faster than the broker back (bounded memory, bounded waits), and the broker's memory
 * alarm blocks publishers within the operation timeout, with {@code onBlocked}/{@code onUnblocked}
 * told; nothing confirmed is lost. On the fault node, whose watermark the test lowers and restores.
 */
@FaultBroker
@DisplayName("Flow control: the publish window and the broker's memory alarm")
class AmqpFlowControlTest {

    private static final int WINDOW = 200;
    private static final int MESSAGES = 20_000;
    private static final Duration OPERATION_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final FaultNode broker;
    private final Rabbitmqctl ctl;
    private final String id = UUID.randomUUID().toString().substring(0, 8);

    AmqpFlowControlTest(FaultNode broker) {
        this.broker = broker;
        this.ctl = broker.rabbitmqctl();
    }

    @Test
    @DisplayName("a publisher faster than the broker, a stalled consumer, then a memory alarm: bounded window, bounded waits, no loss")
    void publisherIsHeldBack() throws Exception {
        String q = "seedmq-flow-" + id;
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        try (Connection conn = Connection.open(broker.builder().connectionName("seedmq-flow-" + id)
                .maxUnconfirmedPublishes(WINDOW).operationTimeout(OPERATION_TIMEOUT).retryPolicy(RetryPolicy.none()).build())) {
            conn.addListener(new ConnectionListener() {
                @Override
                public void onBlocked(String reason) {
                    events.add("blocked");
                }

                @Override
                public void onUnblocked() {
                    events.add("unblocked");
                }
            });
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

                int confirmed = MESSAGES;
                CompletableFuture<Void> trigger;
                ctl.setMemoryHighWatermark("0.000001");
                try {
                    // RabbitMQ blocks a connection when it publishes during an alarm: this one tells it.
                    trigger = conn.producer().publishAsync("trigger", publish);
                    assertEquals("blocked", events.poll(WAIT.toSeconds(), TimeUnit.SECONDS), "the alarm is told");
                    long start = System.nanoTime();
                    CompletableFuture<Void> blocked = conn.producer().publishAsync("while blocked", publish);
                    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                            () -> blocked.get(WAIT.toSeconds(), TimeUnit.SECONDS));
                    Duration took = Duration.ofNanos(System.nanoTime() - start);
                    assertInstanceOf(OperationTimeoutException.class, e.getCause());
                    assertTrue(took.compareTo(OPERATION_TIMEOUT.plusSeconds(2)) < 0, "bounded by the operation timeout: " + took);
                } finally {
                    ctl.setMemoryHighWatermark("0.4");
                }
                String next = events.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertNotNull(next, "the end of the alarm is told");
                assertEquals("unblocked", next);
                try {
                    trigger.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                    confirmed++;
                } catch (ExecutionException e) {
                    assertInstanceOf(OperationTimeoutException.class, e.getCause(), "the trigger is confirmed or timed out");
                }
                conn.producer().publish("after the alarm", publish);
                confirmed++;
                // Every confirmed message is in the queue, or held by the stalled consumer; a timed-out one may be too.
                long inQueue = conn.queueInfo(q).messageCount() + 1;
                assertTrue(inQueue >= confirmed && inQueue <= confirmed + 1,
                        "nothing confirmed was lost: " + inQueue + " for " + confirmed + " confirmed");
            } finally {
                stalled.stop(Duration.ZERO);
                conn.deleteQueue(q);
            }
        }
    }
}
