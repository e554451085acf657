package io.seedmq.messaging.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seedmq.messaging.Connection;
import io.seedmq.messaging.ConnectionException;
import io.seedmq.messaging.ConnectionOptions;
import io.seedmq.messaging.Consumer;
import io.seedmq.messaging.ConsumerOptions;
import io.seedmq.messaging.ConsumerWorker;
import io.seedmq.messaging.Lifecycle;
import io.seedmq.messaging.Message;
import io.seedmq.messaging.Publish;
import io.seedmq.messaging.Queue;
import io.seedmq.messaging.SimpleQueue;
import io.seedmq.messaging.amqp.test.FaultNode;
import io.seedmq.messaging.amqp.test.FaultBroker;
import io.seedmq.messaging.amqp.test.Rabbitmqctl;
import io.seedmq.messaging.notify.NotificationException;
import io.seedmq.messaging.notify.Notifier;
import io.seedmq.messaging.notify.NotifierOptions;
import io.seedmq.messaging.oslo.Context;
import io.seedmq.messaging.oslo.OsloRetry;
import io.seedmq.messaging.retry.RetryPolicy;
import io.seedmq.messaging.rpc.RpcClient;
import io.seedmq.messaging.rpc.RpcClientOptions;
import io.seedmq.messaging.rpc.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The caller's retry policy is the only one that governs what is done on its behalf: an operation
 * that declares first (publish, call, cast, notify, {@code SimpleQueue.put}, a consumer's and a
 * worker's start) makes each declaration once per attempt of its own policy, never under the
 * connection's policy nested inside. Tried against a node whose app is stopped: every attempt
 * fails fast, so the time an operation takes is its policy's back-off and nothing else.
 */
@FaultBroker
@DisplayName("Outage bounds: the caller's retry policy alone bounds an operation and its declarations")
class AmqpOutageBoundsTest {

    /** A connection policy that would take about 16 s to give up, as in the report that found this. */
    private static final RetryPolicy PATIENT = RetryPolicy.builder().maxAttempts(20).initialInterval(Duration.ofMillis(100))
            .maxInterval(Duration.ofSeconds(1)).jitter(0).build();
    /** Three attempts half a second apart: one second of waiting when it alone governs, four when nested. */
    private static final RetryPolicy THREE = RetryPolicy.builder().maxAttempts(3).initialInterval(Duration.ofMillis(500))
            .multiplier(1).maxInterval(Duration.ofMillis(500)).jitter(0).build();
    /** What a fail-fast operation may take at most here: far below a nested policy's seconds. */
    private static final Duration FAST = Duration.ofMillis(1500);

    private final FaultNode broker;
    private final Rabbitmqctl ctl;
    private final String id = UUID.randomUUID().toString().substring(0, 8);
    private final List<Connection> connections = new ArrayList<>();
    private final List<String> queues = new ArrayList<>();
    private boolean stopped;

    AmqpOutageBoundsTest(FaultNode broker) {
        this.broker = broker;
        this.ctl = broker.rabbitmqctl();
    }

    @BeforeEach
    void clean() {
        queues.clear();
    }

    @AfterEach
    void restart() throws Exception {
        try {
            if (stopped) {
                ctl.startApp();
            }
        } finally {
            connections.forEach(Connection::close);
        }
        try (Connection admin = Connection.open(broker.options())) {
            queues.forEach(q -> admin.deleteQueue(q));
        }
    }

    private Connection open(String role, RetryPolicy policy) {
        Connection c = Connection.open(broker.builder().connectionName("seedmq-outage-" + id + "-" + role)
                .retryPolicy(policy).build());
        connections.add(c);
        return c;
    }

    private String queue(String name) {
        String q = "seedmq-outage-" + id + "-" + name;
        queues.add(q);
        return q;
    }

    private void stopBroker() throws Exception {
        ctl.stopApp();
        stopped = true;
    }

    /** @return how long the operation took to fail with the expected exception */
    private static <T extends Throwable> Duration failsWith(Class<T> type, Executable operation) {
        long start = System.nanoTime();
        assertThrows(type, operation);
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @Test
    @DisplayName("publish, call, cast and notify with 'never retry' fail after one attempt, whatever the connection's policy")
    void perOperationPolicyBoundsItsDeclarations() throws Exception {
        Connection conn = open("ops", PATIENT);
        RpcClient rpc = RpcClient.create(conn, Target.topic("seedmq-outage-" + id),
                RpcClientOptions.builder().timeout(Duration.ofSeconds(3)).retry(OsloRetry.of(0)).build());
        Notifier notifier = Notifier.create(conn, "outage." + id,
                NotifierOptions.builder().topics("seedmq-outage-" + id).retry(0).build());
        Queue durable = Queue.builder(queue("publish")).durable(true).build();
        stopBroker();

        Duration publish = failsWith(ConnectionException.class,
                () -> conn.producer().publish("x", Publish.toQueue(durable).retry(RetryPolicy.none())));
        Duration call = failsWith(ConnectionException.class,
                () -> rpc.call(Context.empty(), "add", Map.of("x", 1, "y", 2), Integer.class));
        Duration cast = failsWith(ConnectionException.class, () -> rpc.cast(Context.empty(), "reset", Map.of()));
        Duration notify = failsWith(NotificationException.class,
                () -> notifier.info(Context.empty(), "outage.test", Map.of("n", 1)));

        for (Duration d : List.of(publish, call, cast, notify)) {
            assertTrue(d.compareTo(FAST) < 0, "publish " + publish + ", call " + call + ", cast " + cast + ", notify " + notify);
        }
    }

    @Test
    @DisplayName("SimpleQueue.put and a consumer's start are bounded by their one policy, not by it nested in itself")
    void connectionPolicyIsNotNested() throws Exception {
        Connection conn = open("simple", THREE);
        SimpleQueue simple = conn.simpleQueue(queue("simple"));
        Queue consumed = Queue.builder(queue("consumed")).durable(true).build();
        stopBroker();

        // Declarations are forgotten with the connection, so the put declares again first.
        Duration put = failsWith(ConnectionException.class, () -> simple.put("x"));
        Consumer consumer = conn.consumer(ConsumerOptions.builder().queue(consumed).build(), Message::ack);
        Duration start = failsWith(ConnectionException.class, consumer::start);
        assertEquals(Lifecycle.State.FAILED, consumer.state());

        // Three attempts: two waits of 0.5 s; nested, each attempt's declaration would wait another second.
        for (Duration d : List.of(put, start)) {
            assertTrue(d.compareTo(Duration.ofMillis(900)) >= 0 && d.compareTo(Duration.ofMillis(2500)) < 0,
                    "put " + put + ", consumer start " + start);
        }
        Consumer once = conn.consumer(ConsumerOptions.builder().queue(consumed).retryPolicy(RetryPolicy.none()).build(),
                Message::ack);
        assertTrue(failsWith(ConnectionException.class, once::start).compareTo(FAST) < 0,
                "a consumer's own policy governs its start");
    }

    @Test
    @DisplayName("a worker's start is bounded by the worker's policy: its consumers try once per attempt")
    void workerPolicyIsNotNested() throws Exception {
        Connection conn = open("worker", PATIENT);
        ConsumerWorker worker = ConsumerWorker.builder(conn)
                .consume(ConsumerOptions.builder().queue(Queue.builder(queue("worker")).durable(true).build()).build(),
                        Message::ack)
                .retryPolicy(THREE).build();
        stopBroker();

        ConnectionException e = assertThrows(ConnectionException.class, () -> {
            long begin = System.nanoTime();
            try {
                worker.start();
            } finally {
                Duration took = Duration.ofNanos(System.nanoTime() - begin);
                assertTrue(took.compareTo(Duration.ofMillis(900)) >= 0 && took.compareTo(Duration.ofMillis(2500)) < 0,
                        "the worker's start took " + took);
            }
        });
        assertInstanceOf(ConnectionException.class, e);
        assertEquals(Lifecycle.State.FAILED, worker.state());
    }
}
