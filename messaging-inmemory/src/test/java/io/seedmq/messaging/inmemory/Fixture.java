package io.seedmq.messaging.inmemory;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.seedmq.messaging.MessageProperties;
import io.seedmq.messaging.Queue;
import io.seedmq.messaging.spi.Delivery;
import io.seedmq.messaging.spi.DeliveryListener;
import io.seedmq.messaging.spi.OutboundMessage;
import io.seedmq.messaging.spi.SubscribeOptions;
import io.seedmq.messaging.spi.TransportConnection;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh named broker and one connection per test, deleted afterwards. */
abstract class Fixture {
    static final long TIMEOUT_SECONDS = 5;

    InMemoryBroker broker;
    TransportConnection conn;

    @BeforeEach
    void openBroker() {
        broker = InMemoryBroker.named("test-" + UUID.randomUUID());
        conn = broker.connect();
    }

    @AfterEach
    void deleteBroker() {
        broker.delete();
    }

    /**
     * Waits for a state change nothing signals (a queue deleted by the scheduler), checking every
     * millisecond up to the timeout.
     */
    static void awaitCondition(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    static OutboundMessage message(String exchange, String routingKey, String body) {
        return message(exchange, routingKey, body, MessageProperties.EMPTY);
    }

    static OutboundMessage message(String exchange, String routingKey, String body, MessageProperties props) {
        return new OutboundMessage(exchange, routingKey, props, body.getBytes(StandardCharsets.UTF_8), false);
    }

    static String text(Delivery d) {
        return new String(d.body(), StandardCharsets.UTF_8);
    }

    void publish(String exchange, String routingKey, String body) {
        conn.publish(message(exchange, routingKey, body)).join();
    }

    void send(String queue, String body) {
        publish("", queue, body);
    }

    String declare(String name) {
        return conn.declareQueue(Queue.builder(name).build()).name();
    }

    static SubscribeOptions manual(int prefetch) {
        return new SubscribeOptions(prefetch, false, false, null, null);
    }

    static SubscribeOptions autoAck() {
        return new SubscribeOptions(0, true, false, null, null);
    }

    /** Records deliveries for a test thread to await. */
    static final class Recorder implements DeliveryListener {
        final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
        final CountDownLatch cancelled = new CountDownLatch(1);

        @Override
        public void onDelivery(Delivery delivery) {
            deliveries.add(delivery);
        }

        @Override
        public void onCancelledByBroker() {
            cancelled.countDown();
        }

        Delivery next() {
            try {
                Delivery d = deliveries.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                assertNotNull(d, "no delivery within " + TIMEOUT_SECONDS + " s");
                return d;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        /** Asserts nothing else arrives within a short grace period (no synchronisation relies on it). */
        void assertNoMore() {
            try {
                assertNull(deliveries.poll(100, TimeUnit.MILLISECONDS), "unexpected delivery");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        boolean awaitCancelled() throws InterruptedException {
            return cancelled.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
    }
}
