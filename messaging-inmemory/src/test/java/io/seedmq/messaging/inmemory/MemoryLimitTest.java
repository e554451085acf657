package io.seedmq.messaging.inmemory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seedmq.messaging.AckMode;
import io.seedmq.messaging.Connection;
import io.seedmq.messaging.ConnectionListener;
import io.seedmq.messaging.Exchange;
import io.seedmq.messaging.Message;
import io.seedmq.messaging.MessageProperties;
import io.seedmq.messaging.Publish;
import io.seedmq.messaging.Queue;
import io.seedmq.messaging.spi.Delivery;
import io.seedmq.messaging.spi.OutboundMessage;
import io.seedmq.messaging.spi.SubscribeOptions;
import io.seedmq.messaging.spi.Subscription;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The embedded broker's memory accounting: what it holds is counted, and what it lets go of is not. */
@DisplayName("Memory limit of the in-memory broker")
class MemoryLimitTest {

    private final String name = "memory-" + UUID.randomUUID();

    @Test
    @DisplayName("every way a message leaves (ack, auto-ack, dead-letter, purge, delete) gives its bytes back; requeues keep them")
    void accountingLeavesNothingBehind() {
        InMemoryBroker broker = InMemoryBroker.named(name);
        try (Connection conn = Connection.open("memory://" + name)) {
            Exchange dlx = Exchange.fanout("dlx-" + name);
            conn.declare(dlx);
            conn.declare(Queue.builder("dead").durable(true).bind(dlx, "").build());
            conn.declare(Queue.builder("work").durable(true).deadLetterExchange(dlx.name()).build());
            Publish publish = Publish.toQueue("work").persistent(false);
            for (int i = 0; i < 10; i++) {
                conn.producer().publish(new byte[1000], publish);
            }
            assertEquals(10_000, broker.memoryUsed());

            Message acked = conn.get("work", AckMode.MANUAL).orElseThrow();
            assertEquals(10_000, broker.memoryUsed(), "a delivered, unsettled message is still held");
            acked.ack();
            Message requeued = conn.get("work", AckMode.MANUAL).orElseThrow();
            requeued.requeue();
            conn.get("work", AckMode.AUTO).orElseThrow();
            Message rejected = conn.get("work", AckMode.MANUAL).orElseThrow();
            rejected.reject();
            assertEquals(8_000, broker.memoryUsed(), "acked and auto-acked are gone; the rejected one moved to 'dead'");

            assertEquals(7, conn.purge("work"));
            assertEquals(1_000, broker.memoryUsed());
            conn.deleteQueue("dead");
            assertEquals(0, broker.memoryUsed());
        } finally {
            broker.delete();
        }
    }

    @Test
    @DisplayName("consumers and waiting gets hold what they are handed until it is settled, whether it was ready or handed straight over")
    void deliveriesHoldTheirBytes() throws Exception {
        InMemoryBroker broker = InMemoryBroker.named(name);
        try {
            InMemoryConnection conn = (InMemoryConnection) broker.connect();
            conn.declareQueue(Queue.builder("q").build());
            OutboundMessage message = new OutboundMessage("", "q", MessageProperties.EMPTY, new byte[1000], false);
            conn.publish(message).join();
            conn.publish(message).join();
            BlockingQueue<Delivery> got = new LinkedBlockingQueue<>();

            Subscription manual = conn.subscribe("q", new SubscribeOptions(1, false, false, null, null), got::add);
            Delivery first = next(got);
            assertEquals(2_000, broker.memoryUsed(), "one ready, one delivered from ready and unsettled");
            first.ack();
            Delivery second = next(got);
            assertEquals(1_000, broker.memoryUsed());
            manual.cancel();
            second.reject(true);
            assertEquals(1_000, broker.memoryUsed(), "requeued, ready again");

            Subscription auto = conn.subscribe("q", new SubscribeOptions(0, true, false, null, null), got::add);
            next(got);
            conn.publish(message).join();
            next(got);
            assertEquals(0, broker.memoryUsed(), "auto-acked from ready, then straight from the publish");
            auto.cancel();

            CompletableFuture<Optional<Delivery>> waiting = CompletableFuture.supplyAsync(
                    () -> conn.get("q", false, Duration.ofSeconds(30)));
            Fixture.awaitCondition("the get waits", () -> broker.queueFor(conn, "q").waitingGets() == 1);
            conn.publish(message).join();
            Delivery handed = waiting.get(10, TimeUnit.SECONDS).orElseThrow();
            assertEquals(1_000, broker.memoryUsed(), "handed straight to a waiting get, unsettled");
            handed.ack();
            assertEquals(0, broker.memoryUsed());

            conn.publish(message).join();
            conn.get("q", false).orElseThrow();
            conn.close();
            assertEquals(1_000, broker.memoryUsed(), "given back to the queue by the close");
        } finally {
            broker.delete();
        }
    }

    private static Delivery next(BlockingQueue<Delivery> deliveries) throws InterruptedException {
        Delivery d = deliveries.poll(10, TimeUnit.SECONDS);
        assertTrue(d != null, "no delivery");
        return d;
    }

    @Test
    @DisplayName("past the limit publishers are told they are blocked; consuming below it unblocks them")
    void blockedAndUnblockedByWhatIsHeld() throws Exception {
        InMemoryBroker broker = InMemoryBroker.named(name);
        broker.memoryLimit(2_500);
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        try (Connection conn = Connection.open("memory://" + name)) {
            conn.addListener(new ConnectionListener() {
                @Override
                public void onBlocked(String reason) {
                    events.add("blocked: " + reason);
                }

                @Override
                public void onUnblocked() {
                    events.add("unblocked");
                }
            });
            conn.declare(Queue.builder("q").durable(true).build());
            Publish publish = Publish.toQueue("q").persistent(false);
            for (int i = 0; i < 3; i++) {
                conn.producer().publish(new byte[1000], publish);
            }
            String blocked = events.poll(10, TimeUnit.SECONDS);
            assertTrue(blocked != null && blocked.startsWith("blocked: memory alarm"), String.valueOf(blocked));
            conn.get("q", AckMode.AUTO).orElseThrow();
            assertEquals("unblocked", events.poll(10, TimeUnit.SECONDS));
            conn.producer().publish(new byte[100], publish);
        } finally {
            broker.delete();
        }
    }
}
