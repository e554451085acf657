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
import io.seedmq.messaging.ConnectionOptions;
import io.seedmq.messaging.Consumer;
import io.seedmq.messaging.ConsumerOptions;
import io.seedmq.messaging.ConsumerWorker;
import io.seedmq.messaging.EntityNotFoundException;
import io.seedmq.messaging.Lifecycle;
import io.seedmq.messaging.Lifecycle.State;
import io.seedmq.messaging.Message;
import io.seedmq.messaging.Publish;
import io.seedmq.messaging.Queue;
import io.seedmq.messaging.ShutdownHooks;
import io.seedmq.messaging.StreamOffset;
import io.seedmq.messaging.spi.Transports;
import io.seedmq.messaging.notify.ListenerOptions;
import io.seedmq.messaging.notify.NotificationEndpoint;
import io.seedmq.messaging.notify.NotificationListener;
import io.seedmq.messaging.notify.NotificationResult;
import io.seedmq.messaging.notify.NotificationTarget;
import io.seedmq.messaging.rpc.RpcServer;
import io.seedmq.messaging.rpc.RpcServerOptions;
import io.seedmq.messaging.retry.RetryPolicy;
import io.seedmq.messaging.rpc.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The life-cycle kit: the one {@link Lifecycle} that consumers, workers, RPC servers and
 * notification listeners share, and the dispatch engine under them (bounded stop, giving back what
 * never started, executors and thread factories the application supplies). Written once, run by
 * every transport.
 */
public abstract class LifecycleKit {

    /** The four kinds of service, made the way an application makes them. */
    protected enum Kind {
        CONSUMER, WORKER, RPC_SERVER, NOTIFICATION_LISTENER
    }

    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final List<Lifecycle> services = new CopyOnWriteArrayList<>();
    private final List<ExecutorService> executors = new CopyOnWriteArrayList<>();
    private final List<String> queues = new CopyOnWriteArrayList<>();
    private final List<String> exchanges = new CopyOnWriteArrayList<>();
    /** The connection a case works with. */
    protected Connection conn;
    private String prefix;

    /** @return how to reach the transport under test (one named broker for all connections of a case) */
    protected abstract ConnectionOptions connectionOptions();

    /** @return how long a case waits for something that must happen */
    protected Duration timeout() {
        return Duration.ofSeconds(10);
    }

    @BeforeEach
    void setUp() {
        prefix = "seedmq-life-" + UUID.randomUUID();
        conn = open(connectionOptions());
    }

    @AfterEach
    void tearDown() {
        services.forEach(s -> quietly(() -> s.stop(Duration.ZERO)));
        try (Connection admin = Connection.open(connectionOptions())) {
            queues.forEach(q -> quietly(() -> admin.deleteQueue(q)));
            exchanges.forEach(x -> quietly(() -> admin.deleteExchange(x, false)));
        }
        connections.forEach(c -> quietly(c::close));
        executors.forEach(ExecutorService::shutdownNow);
    }

    private Connection open(ConnectionOptions options) {
        Connection c = Connection.open(options);
        connections.add(c);
        return c;
    }

    private String queue(String name) {
        String q = prefix + "-" + name;
        queues.add(q);
        return q;
    }

    /**
     * @param kind which service
     * @return one made on {@link #conn} as an application makes it, not started, stopped after the case
     */
    protected Lifecycle service(Kind kind) {
        return create(kind);
    }

    private Lifecycle create(Kind kind) {
        String topic = prefix + "-" + kind.name().toLowerCase();
        // The service's own exchange: a shared broker may hold an "openstack" of another durability.
        String exchange = topic + "-exchange";
        Lifecycle service = switch (kind) {
            case CONSUMER -> conn.consumer(ConsumerOptions.builder()
                    .queue(Queue.builder(queue("consumer")).build()).build(), Message::ack);
            case WORKER -> ConsumerWorker.builder(conn)
                    .consume(ConsumerOptions.builder().queue(Queue.builder(queue("worker")).build())
                            .build(), Message::ack)
                    .build();
            case RPC_SERVER -> {
                queues.add(topic);
                queues.add(topic + ".server-1");
                exchanges.add(exchange);
                yield RpcServer.create(conn, Target.topic(topic).withServer("server-1").withExchange(exchange),
                        List.of(new Echo()),
                        RpcServerOptions.builder().concurrency(2).build());
            }
            case NOTIFICATION_LISTENER -> {
                queues.add(topic + ".info");
                exchanges.add(exchange);
                yield NotificationListener.create(conn, List.of(new NotificationTarget(topic, exchange)),
                        List.of(NotificationEndpoint.of(n -> NotificationResult.HANDLED)));
            }
        };
        services.add(service);
        return service;
    }

    private record Change(State from, State to, Throwable cause) {
    }

    /** An RPC endpoint with one method. */
    public static final class Echo {
        /**
         * @param text anything
         * @return the same
         */
        public String echo(String text) {
            return text;
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    @DisplayName("every service has the one life cycle: CREATED, STARTING, RUNNING, STOPPING, STOPPED, told in order")
    void oneLifeCycle(Kind kind) throws Exception {
        Lifecycle service = create(kind);
        List<Change> changes = new CopyOnWriteArrayList<>();
        service.addStateListener((from, to, cause) -> changes.add(new Change(from, to, cause)));
        assertEquals(State.CREATED, service.state());

        service.start();
        assertEquals(State.RUNNING, service.state());
        service.start();
        assertEquals(State.RUNNING, service.state(), "start while running does nothing");
        assertFalse(service.awaitTermination(Duration.ofMillis(10)));

        assertTrue(service.stop(timeout()));
        assertEquals(State.STOPPED, service.state());
        assertTrue(service.awaitTermination(Duration.ZERO));
        assertTrue(service.stop(timeout()), "a second stop is answered, not repeated");
        assertThrows(IllegalStateException.class, service::start, "a service starts once");

        assertEquals(List.of(new Change(State.CREATED, State.STARTING, null), new Change(State.STARTING, State.RUNNING, null),
                new Change(State.RUNNING, State.STOPPING, null), new Change(State.STOPPING, State.STOPPED, null)), changes);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    @DisplayName("a service stopped before it started is STOPPED at once and cannot start")
    void stopBeforeStart(Kind kind) throws Exception {
        Lifecycle service = create(kind);
        assertTrue(service.stop());
        assertEquals(State.STOPPED, service.state());
        assertTrue(service.awaitTermination(Duration.ZERO));
        assertThrows(IllegalStateException.class, service::start);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    @DisplayName("ShutdownHooks stops any service, then closes what it was given")
    void shutdownHookStopsAnyService(Kind kind) {
        Lifecycle service = create(kind);
        Connection own = open(connectionOptions());
        service.start();
        Thread hook = ShutdownHooks.stopOnExit(service, timeout(), own);
        try {
            // What the JVM does on SIGTERM, without ending this JVM.
            hook.run();
        } finally {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        assertEquals(State.STOPPED, service.state());
        assertFalse(own.isOpen());
    }

    @Test
    @DisplayName("stop gives back what was received but never started, and lets the running handler finish and ack")
    void stopGivesBackWhatNeverStarted() throws Exception {
        String q = queue("give-back");
        conn.declare(Queue.builder(q).build());
        ExecutorService executor = executor("app-handlers-", 2);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        BlockingQueue<String> handled = new LinkedBlockingQueue<>();
        Consumer consumer = conn.consumer(ConsumerOptions.builder().queue(Queue.builder(q).build())
                .prefetch(10).executor(executor).build(), m -> {
                    entered.countDown();
                    assertTrue(release.await(timeout().toMillis(), TimeUnit.MILLISECONDS));
                    handled.add(m.payload(String.class));
                    m.ack();
                });
        services.add(consumer);
        consumer.start();
        for (int i = 1; i <= 5; i++) {
            conn.producer().publish("m" + i, Publish.toQueue(q).persistent(false));
        }
        assertTrue(entered.await(timeout().toMillis(), TimeUnit.MILLISECONDS));
        await("all five are delivered to the consumer", () -> conn.queueInfo(q).messageCount() == 0);

        assertFalse(consumer.stop(Duration.ofMillis(100)), "the running handler did not finish within the bound");
        await("the four that never started are back in the queue", () -> conn.queueInfo(q).messageCount() == 4);
        release.countDown();
        assertEquals("m1", handled.poll(timeout().toMillis(), TimeUnit.MILLISECONDS));

        List<Message> again = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Message m = pollGet(q);
            again.add(m);
            m.ack();
        }
        assertEquals(List.of("m2", "m3", "m4", "m5"), again.stream().map(m -> m.payload(String.class)).toList());
        assertTrue(again.stream().allMatch(Message::redelivered));
        assertTrue(conn.get(q, AckMode.MANUAL).isEmpty(), "m1 was acknowledged when its handler finished");
    }

    @Test
    @DisplayName("handlers run on the executor the application supplies, never more at once than the concurrency")
    void suppliedExecutorAndConcurrency() throws Exception {
        String q = queue("executor");
        ExecutorService executor = executor("app-handlers-", 8);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CyclicBarrier pair = new CyclicBarrier(2);
        Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        CountDownLatch done = new CountDownLatch(6);
        Consumer consumer = conn.consumer(ConsumerOptions.builder().queue(Queue.builder(q).build())
                .prefetch(10).concurrency(2).executor(executor).build(), m -> {
                    most.accumulateAndGet(running.incrementAndGet(), Math::max);
                    threads.add(Thread.currentThread().getName());
                    // Two handlers meet here: proof that two run at once.
                    pair.await(timeout().toMillis(), TimeUnit.MILLISECONDS);
                    running.decrementAndGet();
                    m.ack();
                    done.countDown();
                });
        services.add(consumer);
        consumer.start();
        for (int i = 0; i < 6; i++) {
            conn.producer().publish("m" + i, Publish.toQueue(q).persistent(false));
        }
        assertTrue(done.await(timeout().toMillis(), TimeUnit.MILLISECONDS));
        assertEquals(2, most.get());
        assertTrue(threads.stream().allMatch(t -> t.startsWith("app-handlers-")), threads::toString);
    }

    @Test
    @DisplayName("the connection's thread factory makes the threads seedmq starts, and its handler executor runs handlers")
    void connectionThreadFactoryAndHandlerExecutor() throws Exception {
        AtomicInteger made = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "app-made-" + made.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        Connection own = open(connectionOptions().toBuilder().threadFactory(factory).build());
        String pooled = queue("pooled");
        BlockingQueue<String> threads = new LinkedBlockingQueue<>();
        Consumer consumer = own.consumer(ConsumerOptions.builder().queue(Queue.builder(pooled).build())
                .concurrency(2).build(), m -> {
                    threads.add(Thread.currentThread().getName());
                    m.ack();
                });
        services.add(consumer);
        consumer.start();
        own.producer().publish("x", Publish.toQueue(pooled).persistent(false));
        String thread = threads.poll(timeout().toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(thread);
        assertTrue(thread.startsWith("app-made-"), thread);

        ExecutorService executor = executor("app-shared-", 2);
        Connection shared = open(connectionOptions().toBuilder().handlerExecutor(executor).build());
        String direct = queue("shared-executor");
        Consumer onShared = shared.consumer(ConsumerOptions.builder().queue(Queue.builder(direct).build())
                .build(), m -> {
                    threads.add(Thread.currentThread().getName());
                    m.ack();
                });
        services.add(onShared);
        onShared.start();
        shared.producer().publish("y", Publish.toQueue(direct).persistent(false));
        thread = threads.poll(timeout().toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(thread);
        assertTrue(thread.startsWith("app-shared-"), thread);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    @DisplayName("a service whose queue is deleted under it is RECOVERING, declares it again and consumes again: RUNNING")
    void declaresAgainWhenItsQueueIsDeleted(Kind kind) throws Exception {
        Lifecycle service = create(kind);
        BlockingQueue<Change> changes = new LinkedBlockingQueue<>();
        service.addStateListener((from, to, cause) -> changes.add(new Change(from, to, cause)));
        service.start();
        changes.clear();
        String q = switch (kind) {
            case CONSUMER, WORKER, RPC_SERVER -> prefix + "-" + kind.name().toLowerCase();
            case NOTIFICATION_LISTENER -> prefix + "-" + kind.name().toLowerCase() + ".info";
        };

        conn.deleteQueue(q);

        Change recovering = changes.poll(timeout().toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(recovering, "the service heard of the loss");
        assertEquals(new Change(State.RUNNING, State.RECOVERING, recovering.cause()), recovering);
        assertNotNull(recovering.cause(), "RECOVERING comes with its cause");
        assertEquals(new Change(State.RECOVERING, State.RUNNING, null),
                changes.poll(timeout().toMillis(), TimeUnit.MILLISECONDS));
        assertEquals(State.RUNNING, service.state());
        await("the queue is declared again with its consumer", () -> conn.queueInfo(q).consumerCount() == 1);
        if (kind == Kind.CONSUMER || kind == Kind.WORKER) {
            conn.producer().publish("after", Publish.toQueue(q).persistent(false));
            await("what is sent to the queue again is consumed", () -> conn.queueInfo(q).messageCount() == 0);
        }
        assertTrue(service.stop(timeout()));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Kind.class, names = {"CONSUMER", "WORKER"})
    @DisplayName("a service that cannot subscribe again to its deleted queue is FAILED once its retry policy gives up, with the cause told")
    void failsWhenItsRetryPolicyGivesUp(Kind kind) throws Exception {
        String q = queue("not-declared-" + kind.name().toLowerCase());
        conn.declare(Queue.named(q));
        ConsumerOptions options = ConsumerOptions.builder().queue(Queue.named(q)).declare(false)
                .retryPolicy(RetryPolicy.builder().maxAttempts(2).initialInterval(Duration.ofMillis(50)).build())
                .build();
        Lifecycle service = kind == Kind.CONSUMER ? conn.consumer(options, Message::ack)
                : ConsumerWorker.builder(conn).consume(options, Message::ack).build();
        services.add(service);
        BlockingQueue<Change> changes = new LinkedBlockingQueue<>();
        service.addStateListener((from, to, cause) -> changes.add(new Change(from, to, cause)));
        service.start();

        conn.deleteQueue(q);

        // Termination is told after the state listeners heard the change, so they have all of it now.
        assertTrue(service.awaitTermination(timeout()), "the service terminated");
        assertEquals(State.FAILED, service.state());
        List<State> states = new ArrayList<>();
        Change last = null;
        for (Change c = changes.poll(); c != null; c = changes.poll()) {
            states.add(c.to());
            last = c;
        }
        assertEquals(List.of(State.STARTING, State.RUNNING, State.RECOVERING, State.FAILED), states);
        assertInstanceOf(EntityNotFoundException.class, last.cause(), "FAILED comes with the last failure");
        assertThrows(IllegalStateException.class, service::start);
    }

    @Test
    @DisplayName("a stream reader whose subscription is lost subscribes again from the offset after the last message it was delivered: nothing replayed, nothing skipped")
    void streamReaderResumesWhereItStopped() throws Exception {
        LosingTransport losing = new LosingTransport();
        Connection c = Transports.open(connectionOptions(), losing::wrap);
        connections.add(c);
        String q = queue("stream");
        c.declare(Queue.stream(q).build());
        for (int i = 0; i < 10; i++) {
            c.producer().publish("m" + i, Publish.toQueue(q));
        }
        List<String> read = new CopyOnWriteArrayList<>();
        List<Long> offsets = new CopyOnWriteArrayList<>();
        Consumer reader = c.consumer(ConsumerOptions.builder().queue(Queue.stream(q).build()).prefetch(5)
                .streamOffset(StreamOffset.first()).build(), m -> {
                    read.add(m.payload(String.class));
                    offsets.add(m.streamOffset().getAsLong());
                    m.ack();
                });
        services.add(reader);
        BlockingQueue<Change> changes = new LinkedBlockingQueue<>();
        reader.addStateListener((from, to, cause) -> changes.add(new Change(from, to, cause)));
        reader.start();
        await("the first ten are read", () -> read.size() == 10);
        changes.clear();

        losing.lose(q);

        assertEquals(State.RECOVERING, changes.poll(timeout().toMillis(), TimeUnit.MILLISECONDS).to());
        assertEquals(State.RUNNING, changes.poll(timeout().toMillis(), TimeUnit.MILLISECONDS).to());
        for (int i = 10; i < 20; i++) {
            c.producer().publish("m" + i, Publish.toQueue(q));
        }
        await("the ten published after the loss are read", () -> read.size() >= 20);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            expected.add("m" + i);
        }
        assertEquals(expected, List.copyOf(read), "every message once, in order");
        List<LosingTransport.Subscribed> subscribed = losing.subscribed();
        assertEquals(2, subscribed.size());
        assertEquals("first", subscribed.get(0).options().arguments().get(ConsumerOptions.X_STREAM_OFFSET));
        assertEquals(StreamOffset.offset(offsets.get(9) + 1),
                StreamOffset.parse(subscribed.get(1).options().arguments().get(ConsumerOptions.X_STREAM_OFFSET)),
                "subscribed again after the last message delivered");
        assertTrue(reader.stop(timeout()));
    }

    @Test
    @DisplayName("a cause is told only for RECOVERING and FAILED")
    void noCauseOnOrdinaryChanges() {
        Lifecycle service = create(Kind.CONSUMER);
        List<Throwable> causes = new CopyOnWriteArrayList<>();
        service.addStateListener((from, to, cause) -> causes.add(cause));
        service.start();
        service.stop();
        assertEquals(4, causes.size());
        causes.forEach(c -> assertNull(c));
    }

    private ExecutorService executor(String prefix, int threads) {
        AtomicInteger n = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        executors.add(executor);
        return executor;
    }

    private Message pollGet(String q) {
        Message[] got = new Message[1];
        await("a message is ready in " + q, () -> {
            conn.get(q, AckMode.MANUAL).ifPresent(m -> got[0] = m);
            return got[0] != null;
        });
        return got[0];
    }

    /** Polls a broker-side condition until it holds, failing after {@link #timeout()}. */
    private void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout().toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + timeout());
            }
            try {
                // Polling interval of a broker inspection, not synchronisation of message flow.
                TimeUnit.MILLISECONDS.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting until " + what, e);
            }
        }
    }

    private static void quietly(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException ignored) {
            // cleaning up after a case; the case itself reported what mattered
        }
    }
}
