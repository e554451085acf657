package io.seedmq.messaging.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seedmq.messaging.Connection;
import io.seedmq.messaging.ConnectionException;
import io.seedmq.messaging.ConnectionListener;
import io.seedmq.messaging.ConnectionOptions;
import io.seedmq.messaging.ConsumerOptions;
import io.seedmq.messaging.ConsumerWorker;
import io.seedmq.messaging.Publish;
import io.seedmq.messaging.Queue;
import io.seedmq.messaging.Lifecycle;
import io.seedmq.messaging.amqp.test.FaultNode;
import io.seedmq.messaging.amqp.test.FaultBroker;
import io.seedmq.messaging.amqp.test.Rabbitmqctl;
import io.seedmq.messaging.amqp.test.TcpProxy;
import io.seedmq.messaging.retry.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Faults on a RabbitMQ node of the tests' own ({@link FaultBroker}): the broker closing
 * connections, a broker restart ({@code stop_app}/{@code start_app}), a silent network (heartbeat
 * timeout), and publishing while the broker is down. Nothing a caller was told succeeded is lost.
 */
@FaultBroker
@DisplayName("Fault tolerance on RabbitMQ (a node the tests may restart)")
class AmqpFaultToleranceTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final FaultNode broker;
    private final Rabbitmqctl ctl;
    private final String id = UUID.randomUUID().toString().substring(0, 8);
    private final List<Connection> connections = new ArrayList<>();
    private final List<String> queues = new ArrayList<>();

    AmqpFaultToleranceTest(FaultNode broker) {
        this.broker = broker;
        this.ctl = broker.rabbitmqctl();
    }

    @AfterEach
    void cleanUp() {
        try (Connection admin = Connection.open(broker.options())) {
            for (String q : queues) {
                admin.deleteQueue(q);
            }
        } finally {
            connections.forEach(Connection::close);
        }
    }

    private Connection open(String role, ConnectionOptions.Builder options) {
        Connection c = Connection.open(options.connectionName("seedmq-fault-" + id + "-" + role).build());
        connections.add(c);
        return c;
    }

    private Connection open(String role) {
        return open(role, broker.builder());
    }

    /** A policy that outlasts a broker restart: about a minute of attempts, waits up to 1 s. */
    private static RetryPolicy patient() {
        return RetryPolicy.builder().maxAttempts(80).initialInterval(Duration.ofMillis(100))
                .maxInterval(Duration.ofSeconds(1)).build();
    }

    private static List<Lifecycle.State> take(BlockingQueue<Lifecycle.State> states, int n) throws InterruptedException {
        List<Lifecycle.State> seen = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Lifecycle.State s = states.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            if (s == null) {
                break;
            }
            seen.add(s);
        }
        return seen;
    }

    private ConsumerWorker startWorker(Connection conn, Queue queue, BlockingQueue<String> received,
                                       BlockingQueue<Lifecycle.State> states) {
        ConsumerWorker worker = ConsumerWorker.builder(conn)
                .consume(ConsumerOptions.builder().queue(queue).prefetch(10).build(), m -> {
                    received.add(m.payload(String.class));
                    m.ack();
                })
                .stopTimeout(Duration.ofSeconds(5)).build();
        worker.addStateListener((from, to, cause) -> states.add(to));
        worker.start();
        return worker;
    }

    @Test
    @DisplayName("a worker rides out a broker restart: RECOVERING then CONSUMING, its non-durable queue re-declared and re-subscribed")
    void workerSurvivesBrokerRestart() throws Exception {
        String q = "seedmq-fault-restart-" + id;
        queues.add(q);
        Queue queue = Queue.builder(q).build();
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        BlockingQueue<Lifecycle.State> states = new LinkedBlockingQueue<>();
        Connection conn = open("worker");
        ConsumerWorker worker = startWorker(conn, queue, received, states);
        try {
            assertEquals(List.of(Lifecycle.State.STARTING, Lifecycle.State.RUNNING), take(states, 2));
            conn.producer().publish("before", Publish.toQueue(q));
            assertEquals("before", received.poll(WAIT.toSeconds(), TimeUnit.SECONDS));

            ctl.stopApp();
            assertEquals(List.of(Lifecycle.State.RECOVERING), take(states, 1));
            ctl.startApp();
            assertEquals(List.of(Lifecycle.State.RUNNING), take(states, 1));

            conn.producer().publish("after", Publish.toQueue(q).retry(patient()));
            assertEquals("after", received.poll(WAIT.toSeconds(), TimeUnit.SECONDS),
                    "the queue (gone with the restart) was re-declared and re-subscribed");
        } finally {
            assertTrue(worker.stop());
        }
    }

    @Test
    @DisplayName("a worker rides out a heartbeat timeout (a network that goes silent) and consumes again once it flows")
    void workerSurvivesHeartbeatTimeout() throws Exception {
        String q = "seedmq-fault-heartbeat-" + id;
        queues.add(q);
        Queue queue = Queue.builder(q).build();
        ConnectionOptions target = broker.options();
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        BlockingQueue<Lifecycle.State> states = new LinkedBlockingQueue<>();
        try (TcpProxy proxy = new TcpProxy(target.addresses().get(0).host(), target.addresses().get(0).portOr(5672))) {
            Connection conn = open("heartbeat", broker.builder().addresses(List.of())
                    .address("127.0.0.1", proxy.port()).heartbeat(Duration.ofSeconds(1)));
            ConsumerWorker worker = startWorker(conn, queue, received, states);
            try {
                assertEquals(List.of(Lifecycle.State.STARTING, Lifecycle.State.RUNNING), take(states, 2));
                proxy.pause();
                assertEquals(List.of(Lifecycle.State.RECOVERING), take(states, 1),
                        "missed heartbeats are noticed without any traffic of ours");
                proxy.resume();
                assertEquals(List.of(Lifecycle.State.RUNNING), take(states, 1));
                try (Connection direct = Connection.open(broker.options())) {
                    direct.producer().publish("after silence", Publish.toQueue(q).retry(patient()));
                }
                assertEquals("after silence", received.poll(WAIT.toSeconds(), TimeUnit.SECONDS));
            } finally {
                assertTrue(worker.stop());
            }
        }
    }

    @Test
    @DisplayName("publishing while the broker is down waits within its retry policy, then fails with ConnectionException; after recovery it succeeds")
    void publishDuringOutage() throws Exception {
        String q = "seedmq-fault-outage-" + id;
        queues.add(q);
        Connection conn = open("outage");
        conn.declare(Queue.named(q));
        CountDownLatch recovered = new CountDownLatch(1);
        conn.addListener(new ConnectionListener() {
            @Override
            public void onRecovered() {
                recovered.countDown();
            }
        });
        RetryPolicy bounded = RetryPolicy.builder().maxAttempts(4).initialInterval(Duration.ofMillis(200))
                .maxInterval(Duration.ofMillis(400)).build();
        ctl.stopApp();
        try {
            long t0 = System.nanoTime();
            assertThrows(ConnectionException.class,
                    () -> conn.producer().publish("during", Publish.toQueue(q).retry(bounded)));
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertTrue(took.compareTo(Duration.ofMillis(500)) >= 0, "it waited for the retries: " + took);
            assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "bounded: " + took);
        } finally {
            ctl.startApp();
        }
        assertTrue(recovered.await(WAIT.toSeconds(), TimeUnit.SECONDS));
        conn.producer().publish("after", Publish.toQueue(q));
        assertEquals(1, conn.queueInfo(q).messageCount());
    }

    @Test
    @DisplayName("zero loss: numbered persistent messages to a durable queue, confirmed and acked, survive closed connections and a broker restart")
    void zeroLoss() throws Exception {
        int n = 3000;
        String q = "seedmq-fault-zeroloss-" + id;
        queues.add(q);
        Queue queue = Queue.named(q);
        Map<Integer, AtomicInteger> seen = new ConcurrentHashMap<>();
        AtomicInteger redelivered = new AtomicInteger();
        Connection consumerConn = open("consumer");
        ConsumerWorker worker = ConsumerWorker.builder(consumerConn)
                .consume(ConsumerOptions.builder().queue(queue).prefetch(50).build(), m -> {
                    seen.computeIfAbsent(Integer.parseInt(m.payload(String.class)), k -> new AtomicInteger())
                            .incrementAndGet();
                    if (m.redelivered()) {
                        redelivered.incrementAndGet();
                    }
                    m.ack();
                })
                .retryPolicy(patient()).stopTimeout(Duration.ofSeconds(5)).build();
        worker.start();
        Connection producerConn = open("producer", broker.builder().retryPolicy(patient()));
        AtomicInteger failedBack = new AtomicInteger();
        AtomicReference<Throwable> producerError = new AtomicReference<>();
        CountDownLatch[] milestones = {new CountDownLatch(1), new CountDownLatch(1), new CountDownLatch(1)};
        Thread producer = new Thread(() -> {
            try {
                for (int i = 0; i < n; i++) {
                    while (true) {
                        try {
                            producerConn.producer().publish(String.valueOf(i), Publish.toQueue(queue).persistent(true));
                            break;
                        } catch (ConnectionException e) {
                            // Failed back to the caller, not lost: the caller decides; this one sends again.
                            failedBack.incrementAndGet();
                        }
                    }
                    if (i == n / 4 || i == n / 2 || i == 3 * n / 4) {
                        milestones[i == n / 4 ? 0 : i == n / 2 ? 1 : 2].countDown();
                    }
                }
            } catch (Throwable t) {
                producerError.set(t);
            }
        }, "zero-loss-producer");
        long t0 = System.nanoTime();
        producer.start();
        try {
            assertTrue(milestones[0].await(WAIT.toSeconds(), TimeUnit.SECONDS));
            assertTrue(ctl.closeConnections("seedmq-fault-" + id, "seedmq zero-loss test: close") >= 2);
            assertTrue(milestones[1].await(WAIT.toSeconds(), TimeUnit.SECONDS));
            ctl.stopApp();
            ctl.startApp();
            assertTrue(milestones[2].await(WAIT.toSeconds(), TimeUnit.SECONDS));
            assertTrue(ctl.closeConnections("seedmq-fault-" + id, "seedmq zero-loss test: close again") >= 2);
            producer.join(WAIT.toMillis() * 2);
            assertEquals(null, producerError.get());
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (seen.size() < n && System.nanoTime() < deadline) {
                // Awaiting a condition over a map the consumer fills; polled at a short interval.
                TimeUnit.MILLISECONDS.sleep(50);
            }
        } finally {
            worker.stop();
        }
        List<Integer> missing = new ArrayList<>();
        int duplicates = 0;
        for (int i = 0; i < n; i++) {
            AtomicInteger c = seen.get(i);
            if (c == null) {
                missing.add(i);
            } else {
                duplicates += c.get() - 1;
            }
        }
        System.out.printf("zero-loss: %d messages in %d ms, %d duplicates, %d redelivered, %d publishes failed back and re-sent%n",
                n, Duration.ofNanos(System.nanoTime() - t0).toMillis(), duplicates, redelivered.get(), failedBack.get());
        assertEquals(List.of(), missing, "every number arrived at least once");
    }
}
