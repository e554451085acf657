package io.seedmq.messaging.inmemory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seedmq.messaging.ConnectionClosedException;
import io.seedmq.messaging.MessagingException;
import io.seedmq.messaging.spi.Delivery;
import io.seedmq.messaging.spi.TransportConnection;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A get that waits on the queue")
class WaitingGetTest extends Fixture {
    private static final Duration LONG = Duration.ofSeconds(30);

    private final ExecutorService getters = Executors.newCachedThreadPool();

    @AfterEach
    void stopGetters() {
        getters.shutdownNow();
    }

    private Future<Optional<Delivery>> waitingGet(TransportConnection via, String queue, Duration timeout) {
        Future<Optional<Delivery>> got = getters.submit(() -> via.get(queue, false, timeout));
        awaitCondition("the get waits on the queue", () -> waiting(queue) == 1);
        return got;
    }

    private int waiting(String queue) {
        return broker.queueFor((InMemoryConnection) conn, queue).waitingGets();
    }

    /** The get left the queue: a message published now stays ready. */
    private void assertGone(String queue) {
        assertEquals(0, waiting(queue));
        send(queue, "kept");
        assertEquals(1, conn.checkQueue(queue).messageCount());
    }

    private static Delivery within(Future<Optional<Delivery>> got) throws Exception {
        return got.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).orElseThrow();
    }

    @Test
    @DisplayName("is handed a message published while it waits, long before its timeout")
    void wakesOnPublish() throws Exception {
        declare("q");
        Future<Optional<Delivery>> got = waitingGet(conn, "q", LONG);

        send("q", "late");

        Delivery d = within(got);
        assertEquals("late", text(d));
        assertEquals(0, waiting("q"));
        d.ack();
        assertEquals(0, conn.checkQueue("q").messageCount());
    }

    @Test
    @DisplayName("returns empty after its timeout, not before, and leaves the queue")
    void timesOut() {
        declare("q");
        Duration wait = Duration.ofMillis(300);

        long start = System.nanoTime();
        Optional<Delivery> got = conn.get("q", false, wait);
        long took = System.nanoTime() - start;

        assertTrue(got.isEmpty());
        assertTrue(took >= wait.toNanos(), "returned after " + took + " ns");
        assertGone("q");
    }

    @Test
    @DisplayName("takes only what no consumer has room for, as a polling get would")
    void consumersFirst() throws Exception {
        declare("q");
        Recorder consumer = new Recorder();
        conn.subscribe("q", manual(1), consumer);
        Future<Optional<Delivery>> got = waitingGet(conn, "q", LONG);

        send("q", "one");
        assertEquals("one", text(consumer.next()));
        send("q", "two");

        assertEquals("two", text(within(got)));
        consumer.assertNoMore();
    }

    @Test
    @DisplayName("is handed a message requeued by a consumer")
    void takesRequeued() throws Exception {
        declare("q");
        Recorder consumer = new Recorder();
        var subscription = conn.subscribe("q", manual(1), consumer);
        send("q", "back");
        Delivery first = consumer.next();
        subscription.cancel();
        Future<Optional<Delivery>> got = waitingGet(conn, "q", LONG);

        first.reject(true);

        Delivery again = within(got);
        assertEquals("back", text(again));
        assertTrue(again.info().redelivered());
    }

    @Test
    @DisplayName("ends with an error when the queue is deleted")
    void queueDeleted() {
        declare("q");
        Future<Optional<Delivery>> got = waitingGet(conn, "q", LONG);

        conn.deleteQueue("q", false, false);

        ExecutionException e = assertThrows(ExecutionException.class, () -> got.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        assertInstanceOf(MessagingException.class, e.getCause());
    }

    @Test
    @DisplayName("ends with ConnectionClosedException when its connection closes")
    void connectionClosed() {
        declare("q");
        TransportConnection other = broker.connect();
        Future<Optional<Delivery>> got = waitingGet(other, "q", LONG);

        other.close();

        ExecutionException e = assertThrows(ExecutionException.class, () -> got.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        assertInstanceOf(ConnectionClosedException.class, e.getCause());
        assertGone("q");
    }

    @Test
    @DisplayName("ends when interrupted, the flag set again, taking nothing")
    void interrupted() throws Exception {
        declare("q");
        CompletableFuture<Boolean> flagSet = new CompletableFuture<>();
        Thread getter = new Thread(() -> {
            try {
                conn.get("q", false, LONG);
                flagSet.completeExceptionally(new AssertionError("returned without a message"));
            } catch (MessagingException e) {
                flagSet.complete(Thread.currentThread().isInterrupted());
            }
        });
        getter.start();
        awaitCondition("the get waits on the queue", () -> waiting("q") == 1);

        getter.interrupt();

        assertTrue(flagSet.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        assertGone("q");
    }

    @Test
    @DisplayName("gets timing out while messages arrive lose nothing and take nothing twice")
    void timeoutsRacingPublishes() throws Exception {
        declare("q");
        int total = 20_000;
        Set<String> seen = new HashSet<>();
        Future<?> publisher = getters.submit(() -> {
            for (int i = 0; i < total; i++) {
                send("q", Integer.toString(i));
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS * 4);
        while (seen.size() < total && System.nanoTime() - deadline < 0) {
            // A timeout this short ends many waits just as a message is handed over.
            Optional<Delivery> d = conn.get("q", false, Duration.ofNanos(20_000));
            if (d.isPresent()) {
                assertTrue(seen.add(text(d.get())), "got twice: " + text(d.get()));
                d.get().ack();
            }
        }
        publisher.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertEquals(total, seen.size());
        assertEquals(0, conn.checkQueue("q").messageCount());
    }
}
