package io.seedmq.messaging.inmemory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seedmq.messaging.AccessRefusedException;
import io.seedmq.messaging.ConnectionException;
import io.seedmq.messaging.ConnectionListener;
import io.seedmq.messaging.Queue;
import io.seedmq.messaging.spi.Delivery;
import io.seedmq.messaging.spi.DeliveryListener;
import io.seedmq.messaging.spi.SubscribeOptions;
import io.seedmq.messaging.spi.Subscription;
import io.seedmq.messaging.spi.TransportConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Consuming")
class ConsumingTest extends Fixture {

    @Test
    @DisplayName("a consumer receives a queue's messages in FIFO order with delivery info")
    void fifo() {
        declare("q");
        for (int i = 0; i < 10; i++) {
            send("q", "m" + i);
        }
        Recorder r = new Recorder();
        Subscription s = conn.subscribe("q", autoAck(), r);
        assertTrue(s.consumerTag().startsWith("amq.ctag-"), s.consumerTag());
        for (int i = 0; i < 10; i++) {
            Delivery d = r.next();
            assertEquals("m" + i, text(d));
            assertEquals("", d.info().exchange());
            assertEquals("q", d.info().routingKey());
            assertEquals("q", d.info().queue());
            assertEquals(s.consumerTag(), d.info().consumerTag());
            assertFalse(d.info().redelivered());
        }
    }

    @Test
    @DisplayName("messages are dealt round-robin among consumers")
    void roundRobin() {
        declare("q");
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        conn.subscribe("q", autoAck(), a);
        conn.subscribe("q", autoAck(), b);
        for (int i = 0; i < 4; i++) {
            send("q", "m" + i);
        }
        assertEquals("m0", text(a.next()));
        assertEquals("m1", text(b.next()));
        assertEquals("m2", text(a.next()));
        assertEquals("m3", text(b.next()));
    }

    @Test
    @DisplayName("prefetch limits unacknowledged deliveries; acking lets the next one through")
    void prefetch() {
        declare("q");
        for (int i = 0; i < 5; i++) {
            send("q", "m" + i);
        }
        Recorder r = new Recorder();
        conn.subscribe("q", manual(2), r);
        Delivery first = r.next();
        r.next();
        r.assertNoMore();
        assertEquals(3, conn.checkQueue("q").messageCount());
        first.ack();
        assertEquals("m2", text(r.next()));
        r.assertNoMore();
    }

    @Test
    @DisplayName("prefetch 1 gives fair dispatch: a busy consumer gets nothing more")
    void fairDispatch() {
        declare("q");
        Recorder busy = new Recorder();
        Recorder idle = new Recorder();
        conn.subscribe("q", manual(1), busy);
        send("q", "m0");
        Delivery held = busy.next();
        conn.subscribe("q", manual(1), idle);
        send("q", "m1");
        send("q", "m2");
        Delivery d1 = idle.next();
        assertEquals("m1", text(d1));
        d1.ack();
        assertEquals("m2", text(idle.next()));
        held.ack();
    }

    @Test
    @DisplayName("a requeued message goes back to its original place, ahead of later messages, flagged redelivered")
    void requeue() {
        declare("q");
        send("q", "a");
        send("q", "b");
        Delivery a = conn.get("q", false).orElseThrow();
        assertNull(a.info().consumerTag());
        a.reject(true);
        Delivery again = conn.get("q", false).orElseThrow();
        assertEquals("a", text(again));
        assertTrue(again.info().redelivered());
        again.ack();
        Delivery b = conn.get("q", false).orElseThrow();
        assertFalse(b.info().redelivered());
        b.ack();
        b.ack();
        assertEquals(0, conn.checkQueue("q").messageCount());
    }

    @Test
    @DisplayName("reject without requeue drops the message when the queue has no dead-letter exchange")
    void rejectDrops() {
        declare("q");
        send("q", "a");
        conn.get("q", false).orElseThrow().reject(false);
        assertFalse(conn.get("q", true).isPresent());
    }

    @Test
    @DisplayName("cancelling keeps unacked messages settleable; closing the connection returns them redelivered")
    void cancelThenClose() {
        declare("q");
        send("q", "a");
        send("q", "b");
        TransportConnection consumer = broker.connect();
        Recorder r = new Recorder();
        Subscription s = consumer.subscribe("q", manual(0), r);
        Delivery a = r.next();
        Delivery b = r.next();
        s.cancel();
        assertFalse(s.isActive());
        assertEquals(0, conn.checkQueue("q").messageCount(), "unacked messages stay with the cancelled consumer");
        a.ack();
        consumer.close();
        b.ack();
        Delivery back = conn.get("q", true).orElseThrow();
        assertEquals("b", text(back));
        assertTrue(back.info().redelivered());
        assertFalse(conn.get("q", true).isPresent());
    }

    @Test
    @DisplayName("closing a connection returns unacked subscription and get messages in their original order")
    void closeReturnsInOrder() {
        declare("q");
        for (int i = 0; i < 4; i++) {
            send("q", "m" + i);
        }
        TransportConnection consumer = broker.connect();
        Delivery g = consumer.get("q", false).orElseThrow();
        Recorder r = new Recorder();
        consumer.subscribe("q", manual(0), r);
        for (int i = 1; i < 4; i++) {
            r.next();
        }
        consumer.close();
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Delivery d = conn.get("q", true).orElseThrow();
            assertTrue(d.info().redelivered());
            order.add(text(d));
        }
        assertEquals(List.of("m0", "m1", "m2", "m3"), order);
        g.ack();
        assertFalse(conn.get("q", true).isPresent());
    }

    @Test
    @DisplayName("disconnectAll loses every connection for good: listeners hear the loss and that recovery failed, unacked messages return, exclusive queues vanish")
    void disconnectAll() throws Exception {
        declare("q");
        send("q", "a");
        String exclusive = conn.declareQueue(Queue.serverNamed()).name();
        CompletableFuture<Throwable> lost = new CompletableFuture<>();
        CompletableFuture<Throwable> gaveUp = new CompletableFuture<>();
        conn.addListener(new ConnectionListener() {
            @Override
            public void onConnectionLost(Throwable cause) {
                lost.complete(cause);
            }

            @Override
            public void onRecoveryFailed(Throwable cause) {
                assertTrue(lost.isDone(), "the loss is told first");
                gaveUp.complete(cause);
            }
        });
        Recorder r = new Recorder();
        conn.subscribe("q", manual(1), r);
        r.next();
        broker.disconnectAll();
        assertInstanceOf(ConnectionException.class, lost.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        assertInstanceOf(ConnectionException.class, gaveUp.get(TIMEOUT_SECONDS, TimeUnit.SECONDS),
                "this transport does not recover, and says so");
        assertFalse(conn.isOpen());
        assertFalse(broker.queueExists(exclusive));
        try (TransportConnection fresh = broker.connect()) {
            Delivery d = fresh.get("q", true).orElseThrow();
            assertTrue(d.info().redelivered());
        }
    }

    @Test
    @DisplayName("a closed connection refuses operations with ConnectionException and tells its listeners")
    void closed() {
        CountDownLatch closed = new CountDownLatch(1);
        conn.addListener(new ConnectionListener() {
            @Override
            public void onClosed() {
                closed.countDown();
            }
        });
        conn.close();
        conn.close();
        assertEquals(0, closed.getCount());
        assertFalse(conn.isOpen());
        assertThrows(ConnectionException.class, () -> declare("q"));
        CompletionException e = assertThrows(CompletionException.class, () -> send("q", "x"));
        assertInstanceOf(ConnectionException.class, e.getCause());
    }

    @Test
    @DisplayName("an exclusive consumer excludes others, and cannot join a queue that has consumers")
    void exclusiveConsumer() {
        declare("q");
        SubscribeOptions exclusive = new SubscribeOptions(0, true, true, null, null);
        Subscription s = conn.subscribe("q", exclusive, new Recorder());
        assertThrows(AccessRefusedException.class, () -> conn.subscribe("q", autoAck(), new Recorder()));
        s.cancel();
        conn.subscribe("q", autoAck(), new Recorder());
        assertThrows(AccessRefusedException.class, () -> conn.subscribe("q", exclusive, new Recorder()));
    }

    @Test
    @DisplayName("a consumer tag may be chosen, but not reused while active on the connection")
    void consumerTags() {
        declare("q");
        SubscribeOptions tagged = new SubscribeOptions(0, true, false, "mine", null);
        Subscription s = conn.subscribe("q", tagged, new Recorder());
        assertEquals("mine", s.consumerTag());
        assertThrows(AccessRefusedException.class, () -> conn.subscribe("q", tagged, new Recorder()));
        s.cancel();
        conn.subscribe("q", tagged, new Recorder()).cancel();
    }

    @Test
    @DisplayName("a listener that throws does not stop its subscription")
    void throwingListener() throws Exception {
        declare("q");
        CountDownLatch second = new CountDownLatch(1);
        conn.subscribe("q", autoAck(), new DeliveryListener() {
            @Override
            public void onDelivery(Delivery delivery) {
                if (text(delivery).equals("boom")) {
                    throw new IllegalStateException("expected by the test");
                }
                second.countDown();
            }
        });
        send("q", "boom");
        send("q", "fine");
        assertTrue(second.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    }

    @Test
    @DisplayName("a slow listener does not hold up another subscription")
    void slowListenerIsolated() throws Exception {
        declare("slow");
        declare("fast");
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch slowEntered = new CountDownLatch(1);
        conn.subscribe("slow", autoAck(), d -> {
            slowEntered.countDown();
            try {
                release.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Recorder fast = new Recorder();
        conn.subscribe("fast", autoAck(), fast);
        send("slow", "x");
        assertTrue(slowEntered.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        send("fast", "y");
        assertEquals("y", text(fast.next()));
        release.countDown();
    }

    @Test
    @DisplayName("messages waiting for a cancelled listener return to the queue")
    void cancelReturnsUndelivered() throws Exception {
        declare("q");
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Subscription s = conn.subscribe("q", manual(0), d -> {
            entered.countDown();
            try {
                release.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        send("q", "held");
        assertTrue(entered.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        send("q", "waiting");
        s.cancel();
        release.countDown();
        Delivery d = conn.get("q", true).orElseThrow();
        assertEquals("waiting", text(d));
    }
}
