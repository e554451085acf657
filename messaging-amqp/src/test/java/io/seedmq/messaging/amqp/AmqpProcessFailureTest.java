package io.seedmq.messaging.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seedmq.messaging.AckMode;
import io.seedmq.messaging.Connection;
import io.seedmq.messaging.ConsumerOptions;
import io.seedmq.messaging.ConsumerWorker;
import io.seedmq.messaging.Message;
import io.seedmq.messaging.Publish;
import io.seedmq.messaging.Queue;
import io.seedmq.messaging.test.BrokerKind;
import io.seedmq.messaging.test.SeedmqTest;
import io.seedmq.messaging.test.TestBroker;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Worker processes that die: killed with SIGKILL mid-stream (the broker redelivers what they held),
 * or stopped with SIGTERM (the shutdown hook lets the handler finish). The worker runs in a child
 * JVM ({@link ChildWorker}); the test talks to it through its stdout.
 */
@SeedmqTest(broker = BrokerKind.RABBITMQ)
@DisplayName("Worker processes that die, on RabbitMQ")
class AmqpProcessFailureTest {

    private static final long WAIT_SECONDS = 30;

    private final TestBroker broker;

    AmqpProcessFailureTest(TestBroker broker) {
        this.broker = broker;
    }

    private Process child(String... args) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(javaBin, "-Xmx64m",
                "-cp", System.getProperty("java.class.path"), ChildWorker.class.getName()));
        command.addAll(java.util.List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("SEEDMQ_CHILD_URL", broker.url());
        return pb.start();
    }

    private static BlockingQueue<String> lines(Process p) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    lines.add(line);
                }
            } catch (java.io.IOException e) {
                // the process ended
            }
        }, "child-stdout");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    private static String await(BlockingQueue<String> lines, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        java.util.List<String> other = new java.util.ArrayList<>();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (line != null && line.equals(expected)) {
                return line;
            }
            if (line != null) {
                other.add(line);
            }
        }
        throw new AssertionError("the child never printed '" + expected + "' but " + other);
    }

    @Test
    @DisplayName("a worker killed with SIGKILL mid-stream: another worker gets every message it had not acked, flagged redelivered")
    void sigkillRedelivers() throws Exception {
        int total = 100;
        int ackedByChild = 10;
        String q = "seedmq-crash-" + UUID.randomUUID();
        try (Connection conn = Connection.open(broker.options())) {
            conn.declare(Queue.named(q));
            for (int i = 0; i < total; i++) {
                conn.producer().publish(String.valueOf(i), Publish.toQueue(q));
            }
            Process p = child("hang", q, String.valueOf(ackedByChild), "20");
            BlockingQueue<String> out = lines(p);
            try {
                await(out, "seen " + ackedByChild);
            } finally {
                p.destroyForcibly();
                assertTrue(p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS));
            }
            assertEquals(137, p.exitValue(), "killed by SIGKILL");

            Map<Integer, Boolean> got = new ConcurrentHashMap<>();
            ConsumerWorker survivor = ConsumerWorker.builder(conn)
                    .consume(ConsumerOptions.builder().queue(q).prefetch(50).build(), m -> {
                        got.put(Integer.parseInt(m.payload(String.class)), m.redelivered());
                        m.ack();
                    }).build();
            survivor.start();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
                while (!got.keySet().containsAll(range(ackedByChild, total)) && System.nanoTime() < deadline) {
                    TimeUnit.MILLISECONDS.sleep(20);
                }
            } finally {
                survivor.stop();
            }
            assertTrue(got.keySet().containsAll(range(ackedByChild, total)), "every unacked message came back: " + got.keySet());
            int prefetch = 20;
            assertTrue(got.get(ackedByChild), "the message in the killed handler is flagged redelivered");
            for (Map.Entry<Integer, Boolean> e : got.entrySet()) {
                if (e.getKey() >= ackedByChild + prefetch) {
                    assertFalse(e.getValue(), "message " + e.getKey() + " was never delivered to the killed worker");
                }
            }
            long redelivered = got.values().stream().filter(b -> b).count();
            System.out.printf("SIGKILL: the killed worker acked %d, %d came back flagged redelivered (its prefetch window)%n",
                    ackedByChild, redelivered);
            conn.deleteQueue(q);
        }
    }

    @Test
    @DisplayName("SIGTERM: the shutdown hook lets the in-flight handler finish and ack, and leaves the rest queued")
    void sigtermStopsGracefully() throws Exception {
        String q = "seedmq-sigterm-" + UUID.randomUUID();
        try (Connection conn = Connection.open(broker.options())) {
            conn.declare(Queue.named(q));
            for (int i = 0; i < 5; i++) {
                conn.producer().publish(String.valueOf(i), Publish.toQueue(q));
            }
            Process p = child("graceful", q, "1000");
            BlockingQueue<String> out = lines(p);
            await(out, "started 0");
            // Process.destroy() would also close our end of its stdout; signal through the handle instead.
            assertTrue(p.toHandle().destroy(), "SIGTERM sent");
            assertTrue(p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS), "the JVM exits");
            await(out, "acked 0");
            assertFalse(out.contains("started 1"), "no new delivery after SIGTERM");
            assertEquals(4, conn.queueInfo(q).messageCount(), "the other four are back in the queue");
            Message next = conn.get(q, AckMode.AUTO).orElseThrow();
            assertEquals("1", next.payload(String.class));
            conn.deleteQueue(q);
        }
    }

    private static Set<Integer> range(int from, int to) {
        Set<Integer> s = new java.util.HashSet<>();
        for (int i = from; i < to; i++) {
            s.add(i);
        }
        return s;
    }
}
