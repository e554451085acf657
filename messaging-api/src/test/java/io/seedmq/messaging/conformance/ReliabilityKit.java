package io.seedmq.messaging.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seedmq.messaging.AckMode;
import io.seedmq.messaging.Connection;
import io.seedmq.messaging.ConnectionClosedException;
import io.seedmq.messaging.ConnectionOptions;
import io.seedmq.messaging.Consumer;
import io.seedmq.messaging.ConsumerOptions;
import io.seedmq.messaging.ConsumerWorker;
import io.seedmq.messaging.ContentDisallowedException;
import io.seedmq.messaging.DecodeException;
import io.seedmq.messaging.Exchange;
import io.seedmq.messaging.Lifecycle;
import io.seedmq.messaging.Message;
import io.seedmq.messaging.MessageHandler;
import io.seedmq.messaging.MessageTooLargeException;
import io.seedmq.messaging.Publish;
import io.seedmq.messaging.Queue;
import io.seedmq.messaging.retry.RetryPolicy;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The reliability kit: consumer-side redelivery, poison messages and graceful shutdown, written
 * once and run by every transport (as {@link TransportConformanceKit}). Every case consumes a queue
 * whose dead-letter exchange routes into a dead-letter queue the case watches, so "rejected without
 * requeue" is observed, not assumed.
 */
public abstract class ReliabilityKit {

    /** A declared JSON payload type. */
    public record Job(String id, int size) {
    }

    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final List<String> queues = new CopyOnWriteArrayList<>();
    private final List<String> exchanges = new CopyOnWriteArrayList<>();
    /** The connection a case works with. */
    protected Connection conn;
    private String work;
    private String dlq;
    private Queue workQueue;
    private final BlockingQueue<Message> deadLettered = new LinkedBlockingQueue<>();

    /** @return how to reach the transport under test (one named broker for all connections of a case) */
    protected abstract ConnectionOptions connectionOptions();

    /** @return how long a case waits for something that must happen */
    protected Duration timeout() {
        return Duration.ofSeconds(10);
    }

    @BeforeEach
    void setUp() {
        conn = open();
        String base = "seedmq-rel-" + UUID.randomUUID();
        work = base + "-work";
        dlq = base + "-dlq";
        String dlx = base + "-dlx";
        exchanges.add(dlx);
        queues.add(work);
        queues.add(dlq);
        Exchange deadLetters = Exchange.direct(dlx);
        conn.declare(deadLetters);
        conn.declare(Queue.builder(dlq).bind(deadLetters, work).build());
        workQueue = Queue.builder(work).deadLetterExchange(dlx).build();
        conn.declare(workQueue);
        Consumer watcher = conn.consumer(ConsumerOptions.builder().queue(Queue.builder(dlq).build())
                .ackMode(AckMode.AUTO).build(), deadLettered::add);
        watcher.start();
    }

    @AfterEach
    void tearDown() {
        try (Connection admin = open()) {
            queues.forEach(q -> quietly(() -> admin.deleteQueue(q)));
            exchanges.forEach(x -> quietly(() -> admin.deleteExchange(x, false)));
        }
        connections.forEach(Connection::close);
    }

    private Connection open() {
        Connection c = Connection.open(connectionOptions());
        connections.add(c);
        return c;
    }

    private ConsumerOptions.Builder options() {
        return ConsumerOptions.builder().queue(workQueue).prefetch(1).deadLetterWithCause(true);
    }

    private Consumer consume(ConsumerOptions options, MessageHandler handler) {
        Consumer consumer = conn.consumer(options, handler);
        consumer.start();
        return consumer;
    }

    private void publish(Object payload) {
        conn.producer().publish(payload, Publish.toQueue(work).persistent(false));
    }

    private void publishRaw(byte[] body, String contentType) {
        conn.producer().publish(body, Publish.toQueue(work).persistent(false).contentType(contentType, null));
    }

    private Message nextDeadLetter() throws InterruptedException {
        Message m = deadLettered.poll(timeout().toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(m, "a message reaches the dead-letter queue within " + timeout());
        return m;
    }

    private <T> T poll(BlockingQueue<T> q) throws InterruptedException {
        T t = q.poll(timeout().toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(t, "within " + timeout());
        return t;
    }

    private static final RetryPolicy THREE_QUICK = RetryPolicy.builder().maxAttempts(3)
            .initialInterval(Duration.ofMillis(10)).maxInterval(Duration.ofMillis(50)).build();

    @Nested
    @DisplayName("Handler retries and dead-lettering")
    class HandlerRetries {

        @Test
        @DisplayName("a handler that fails twice then succeeds is run three times and the message is acked, not dead-lettered")
        void retriedUntilSuccess() throws Exception {
            AtomicInteger runs = new AtomicInteger();
            BlockingQueue<String> done = new LinkedBlockingQueue<>();
            consume(options().handlerRetry(THREE_QUICK).build(), m -> {
                if (runs.incrementAndGet() < 3) {
                    throw new IllegalStateException("transient " + runs.get());
                }
                done.add(m.payload(String.class));
                m.ack();
            });
            publish("flaky");
            assertEquals("flaky", poll(done));
            assertEquals(3, runs.get());
            assertNull(deadLettered.poll(300, TimeUnit.MILLISECONDS), "nothing dead-lettered");
            assertEquals(0, conn.queueInfo(work).messageCount());
        }

        @Test
        @DisplayName("a handler that always fails is run N times, then the message is dead-lettered with the cause in its headers, and the consumer goes on")
        void deadLetteredWithCause() throws Exception {
            AtomicInteger runs = new AtomicInteger();
            BlockingQueue<String> done = new LinkedBlockingQueue<>();
            consume(options().handlerRetry(THREE_QUICK).build(), m -> {
                String body = m.payload(String.class);
                if (body.equals("bad")) {
                    runs.incrementAndGet();
                    throw new IllegalArgumentException("cannot process " + body);
                }
                done.add(body);
                m.ack();
            });
            publish("bad");
            publish("good");
            Message dead = nextDeadLetter();
            assertEquals("bad", dead.payload(String.class));
            assertEquals(IllegalArgumentException.class.getName(), dead.headers().get("x-exception-class"));
            assertEquals("cannot process bad", String.valueOf(dead.headers().get("x-exception-message")));
            assertEquals(work, String.valueOf(dead.headers().get("x-original-queue")));
            assertEquals(3, runs.get(), "run exactly maxAttempts times");
            assertEquals("good", poll(done), "the consumer goes on");
            assertEquals(0, conn.queueInfo(work).messageCount(), "never requeued");
        }

        @Test
        @DisplayName("without handler retries a failing handler runs once and its message is dead-lettered")
        void noRetryByDefault() throws Exception {
            AtomicInteger runs = new AtomicInteger();
            consume(options().build(), m -> {
                runs.incrementAndGet();
                throw new Exception("checked failure");
            });
            publish("once");
            Message dead = nextDeadLetter();
            assertEquals(Exception.class.getName(), dead.headers().get("x-exception-class"));
            assertEquals(1, runs.get());
        }

        @Test
        @DisplayName("without deadLetterWithCause, exhausted retries end in a plain reject: the broker dead-letters with x-death")
        void plainRejectByDefault() throws Exception {
            AtomicInteger runs = new AtomicInteger();
            consume(ConsumerOptions.builder().queue(workQueue).prefetch(1).handlerRetry(THREE_QUICK).build(), m -> {
                runs.incrementAndGet();
                throw new IllegalStateException("always");
            });
            publish("plain");
            Message dead = nextDeadLetter();
            assertNotNull(dead.headers().get("x-death"), "dead-lettered by the broker");
            assertNull(dead.headers().get("x-exception-class"));
            assertEquals(3, runs.get());
        }

        @Test
        @DisplayName("a handler retried forever is refused when the options are built")
        void neverForever() {
            assertThrows(IllegalArgumentException.class,
                    () -> options().handlerRetry(RetryPolicy.forever()).build());
        }
    }

    @Nested
    @DisplayName("Poison messages")
    class Poison {

        private final AtomicInteger runs = new AtomicInteger();
        private final BlockingQueue<Object> handled = new LinkedBlockingQueue<>();
        private final BlockingQueue<Exception> refused = new LinkedBlockingQueue<>();

        private void consumeJobs(ConsumerOptions.Builder b) {
            consume(b.handlerRetry(THREE_QUICK).onDecodeError((m, e) -> refused.add(e)).build(), m -> {
                runs.incrementAndGet();
                handled.add(m.payload(Job.class));
                m.ack();
            });
        }

        private void assertConsumerGoesOn() throws InterruptedException {
            publish(new Job("ok", 1));
            assertEquals(new Job("ok", 1), poll(handled));
        }

        @Test
        @DisplayName("malformed JSON: DecodeException, dead-lettered without retry, the consumer goes on")
        void malformedJson() throws Exception {
            consumeJobs(options());
            publishRaw("{\"id\": \"x\", ".getBytes(StandardCharsets.UTF_8), "application/json");
            Message dead = nextDeadLetter();
            assertEquals(DecodeException.class.getName(), dead.headers().get("x-exception-class"));
            assertTrue(poll(refused) instanceof DecodeException);
            assertEquals(1, runs.get(), "a decode error is not retried");
            assertConsumerGoesOn();
        }

        @Test
        @DisplayName("JSON of the wrong shape for the declared type: DecodeException, dead-lettered")
        void wrongShape() throws Exception {
            consumeJobs(options());
            publishRaw("{\"id\": \"x\", \"size\": \"big\"}".getBytes(StandardCharsets.UTF_8), "application/json");
            assertEquals(DecodeException.class.getName(), nextDeadLetter().headers().get("x-exception-class"));
            assertConsumerGoesOn();
        }

        @Test
        @DisplayName("a content type outside the accept list: ContentDisallowedException, dead-lettered before the handler runs")
        void wrongContentType() throws Exception {
            consumeJobs(options().accept("json"));
            publish("plain text");
            assertEquals(ContentDisallowedException.class.getName(), nextDeadLetter().headers().get("x-exception-class"));
            assertTrue(poll(refused) instanceof ContentDisallowedException);
            assertEquals(0, runs.get());
            assertConsumerGoesOn();
        }

        @Test
        @DisplayName("text that is not UTF-8: DecodeException, dead-lettered")
        void invalidUtf8() throws Exception {
            BlockingQueue<String> texts = new LinkedBlockingQueue<>();
            consume(options().onDecodeError((m, e) -> refused.add(e)).build(), m -> {
                texts.add(m.payload(String.class));
                m.ack();
            });
            publishRaw(new byte[] {'o', 'k', (byte) 0xC3, (byte) 0x28}, "text/plain");
            assertEquals(DecodeException.class.getName(), nextDeadLetter().headers().get("x-exception-class"));
            assertTrue(poll(refused) instanceof DecodeException);
            publish("héllo");
            assertEquals("héllo", poll(texts));
        }

        @Test
        @DisplayName("a body over the maximum size: MessageTooLargeException, dead-lettered before decoding, the consumer goes on")
        void oversize() throws Exception {
            consumeJobs(options().maxBodySize(1024));
            publish(new Job("x".repeat(2000), 1));
            assertEquals(MessageTooLargeException.class.getName(), nextDeadLetter().headers().get("x-exception-class"));
            assertTrue(poll(refused) instanceof MessageTooLargeException);
            assertEquals(0, runs.get());
            assertConsumerGoesOn();
        }

        @Test
        @DisplayName("JSON is bound only to the declared type: a class name in the body is data, never instantiated")
        void noPolymorphicTyping() throws Exception {
            BlockingQueue<Object> maps = new LinkedBlockingQueue<>();
            consume(options().build(), m -> {
                maps.add(m.payload(Object.class));
                m.ack();
            });
            publishRaw("{\"@class\": \"java.lang.ProcessBuilder\", \"command\": [\"false\"]}".getBytes(StandardCharsets.UTF_8),
                    "application/json");
            Object decoded = poll(maps);
            assertTrue(decoded instanceof Map, "decoded to a plain map, not " + decoded.getClass());
        }
    }

    @Nested
    @DisplayName("Closing a connection")
    class Closing {

        @Test
        @DisplayName("publishes outstanding when the application closes fail at once with ConnectionClosedException, none retried, one log line for all")
        void closeIsNotAFault() throws Exception {
            Connection c = Connection.open(connectionOptions().toBuilder().retryPolicy(THREE_QUICK).build());
            connections.add(c);
            PrintStream original = System.err;
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            List<CompletableFuture<Void>> outstanding = new ArrayList<>();
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try {
                for (int i = 0; i < 2_000; i++) {
                    outstanding.add(c.producer().publishAsync("m" + i, Publish.toQueue(work).persistent(false)));
                }
                c.close();
                int confirmed = 0;
                for (CompletableFuture<Void> f : outstanding) {
                    try {
                        f.get(timeout().toMillis(), TimeUnit.MILLISECONDS);
                        confirmed++;
                    } catch (ExecutionException e) {
                        assertInstanceOf(ConnectionClosedException.class, e.getCause(), "every failure says the application closed it");
                    }
                }
                assertThrows(ConnectionClosedException.class, () -> c.producer().publish("late", Publish.toQueue(work)));
                String log = captured.toString(StandardCharsets.UTF_8);
                assertFalse(log.contains("retrying in"), "nothing is retried:\n" + log);
                assertTrue(log.lines().filter(l -> l.contains("awaiting their confirm")).count() <= 1, log);
                try (Connection admin = open()) {
                    assertTrue(admin.queueInfo(work).messageCount() >= confirmed, "every confirmed publish arrived");
                }
            } finally {
                System.setErr(original);
            }
        }
    }

    @Nested
    @DisplayName("Graceful shutdown")
    class Shutdown {

        @Test
        @DisplayName("stop() takes no new deliveries, lets the in-flight handler finish and ack, and leaves the rest queued")
        void stopFinishesInFlight() throws Exception {
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            List<String> acked = new CopyOnWriteArrayList<>();
            ConsumerWorker worker = ConsumerWorker.builder(conn)
                    .consume(ConsumerOptions.builder().queue(workQueue).prefetch(3).build(), m -> {
                        started.countDown();
                        assertTrue(release.await(timeout().toMillis(), TimeUnit.MILLISECONDS));
                        m.ack();
                        acked.add(m.payload(String.class));
                    })
                    .stopTimeout(timeout()).build();
            for (int i = 0; i < 5; i++) {
                publish("m" + i);
            }
            CountDownLatch stopping = new CountDownLatch(1);
            worker.addStateListener((from, to, cause) -> {
                if (to == Lifecycle.State.STOPPING) {
                    stopping.countDown();
                }
            });
            worker.start();
            assertTrue(started.await(timeout().toMillis(), TimeUnit.MILLISECONDS));
            Thread stopper = new Thread(() -> assertTrue(worker.stop()));
            stopper.start();
            // Once STOPPING no new delivery starts; stop() now waits for the handler, let it finish.
            assertTrue(stopping.await(timeout().toMillis(), TimeUnit.MILLISECONDS));
            release.countDown();
            stopper.join(timeout().multipliedBy(2).toMillis());
            assertFalse(stopper.isAlive(), "stop() returned");
            assertEquals(List.of("m0"), acked, "only the in-flight message was handled");
            conn.close();
            try (Connection admin = open()) {
                List<String> left = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    Message m = admin.get(work, AckMode.AUTO).orElseThrow();
                    left.add(m.payload(String.class));
                }
                assertEquals(List.of("m1", "m2", "m3", "m4"), left, "the rest stay queued for redelivery, in order");
            }
        }

        @Test
        @DisplayName("stop() is bounded: a handler that does not finish leaves its message unacked, redelivered later")
        void stopIsBounded() throws Exception {
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch never = new CountDownLatch(1);
            ConsumerWorker worker = ConsumerWorker.builder(conn)
                    .consume(ConsumerOptions.builder().queue(workQueue).prefetch(1).build(), m -> {
                        started.countDown();
                        never.await();
                    })
                    .build();
            publish("stuck");
            worker.start();
            assertTrue(started.await(timeout().toMillis(), TimeUnit.MILLISECONDS));
            long t0 = System.nanoTime();
            assertFalse(worker.stop(Duration.ofMillis(300)), "stop() reports the handler did not finish");
            assertTrue(Duration.ofNanos(System.nanoTime() - t0).compareTo(timeout()) < 0, "stop() returned within its bound");
            conn.close();
            never.countDown();
            try (Connection admin = open()) {
                Message m = admin.get(work, AckMode.AUTO).orElseThrow();
                assertEquals("stuck", m.payload(String.class));
                assertTrue(m.redelivered(), "flagged redelivered");
            }
        }
    }

    private static void quietly(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            // cleanup of something a case already removed
        }
    }
}
