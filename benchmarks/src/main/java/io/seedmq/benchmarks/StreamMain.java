package io.seedmq.benchmarks;

import io.seedmq.messaging.Connection;
import io.seedmq.messaging.ConsumerOptions;
import io.seedmq.messaging.ConsumerWorker;
import io.seedmq.messaging.Publish;
import io.seedmq.messaging.Queue;
import io.seedmq.messaging.inmemory.InMemoryBroker;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The child JVM of {@link MemoryStream}: streams messages from the main thread to one consumer and
 * prints one {@value #RESULT} line with the throughput of the whole stream, of its first and last
 * quarters, and the heap in use after a full collection. Usage: {@code StreamMain SEEDMQ|REFERENCE count}.
 */
public final class StreamMain {

    /** The prefix of the result line. */
    static final String RESULT = "RESULT";
    /** Most messages published but not yet consumed, so the backlog cannot be what fills the heap. */
    private static final int BACKLOG = 1_000;
    private static final int PREFETCH = 100;

    private final long count;
    private final long[] quarterEnds = new long[4];
    private final AtomicLong consumed = new AtomicLong();
    private final CountDownLatch done = new CountDownLatch(1);

    private StreamMain(long count) {
        this.count = count;
    }

    /**
     * @param args the side ({@code SEEDMQ} or {@code REFERENCE}) and the message count
     * @throws Exception when the stream fails; the JVM then exits non-zero
     */
    public static void main(String[] args) throws Exception {
        StreamMain stream = new StreamMain(Long.parseLong(args[1]));
        long start = System.nanoTime();
        if (Side.valueOf(args[0]) == Side.SEEDMQ) {
            stream.throughSeedmq();
        } else {
            stream.throughQueue();
        }
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        System.out.println(stream.result(start, heap));
    }

    private void received() {
        long n = consumed.incrementAndGet();
        if (n % (count / 4) == 0 && n / (count / 4) <= 4) {
            quarterEnds[(int) (n / (count / 4)) - 1] = System.nanoTime();
        }
        if (n == count) {
            done.countDown();
        }
    }

    private void throughSeedmq() throws InterruptedException {
        String name = "stream-" + UUID.randomUUID();
        try (Connection connection = Connection.open("memory://" + name)) {
            Queue queue = Queue.builder("stream").build();
            connection.declare(queue);
            ConsumerWorker worker = ConsumerWorker.builder(connection)
                    .consume(ConsumerOptions.builder().queue(queue).prefetch(PREFETCH).build(), m -> {
                        m.ack();
                        received();
                    })
                    .build();
            worker.start();
            Publish publish = Publish.toQueue("stream").persistent(false);
            byte[] body = new byte[Probe.BODY_SIZE];
            for (long i = 0; i < count; i++) {
                awaitRoom(i);
                connection.producer().publish(body, publish);
            }
            awaitDone();
            worker.stop(Duration.ofSeconds(10));
        } finally {
            InMemoryBroker.named(name).delete();
        }
    }

    private void throughQueue() throws InterruptedException {
        LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
        Thread consumer = new Thread(() -> {
            try {
                while (consumed.get() < count) {
                    queue.take();
                    received();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "stream-consumer");
        consumer.start();
        byte[] body = new byte[Probe.BODY_SIZE];
        for (long i = 0; i < count; i++) {
            awaitRoom(i);
            queue.add(body);
        }
        awaitDone();
        consumer.join();
    }

    private void awaitRoom(long published) {
        while (published - consumed.get() >= BACKLOG) {
            LockSupport.parkNanos(50_000);
        }
    }

    private void awaitDone() throws InterruptedException {
        if (!done.await(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("only " + consumed.get() + " of " + count + " messages arrived");
        }
    }

    private String result(long start, long heapBytes) {
        double quarter = count / 4;
        double first = quarter / ((quarterEnds[0] - start) / 1e9);
        double last = quarter / ((quarterEnds[3] - quarterEnds[2]) / 1e9);
        double overall = (count / 4 * 4) / ((quarterEnds[3] - start) / 1e9);
        return String.format(Locale.ROOT, "%s overall=%.1f first=%.1f last=%.1f heapMb=%.2f", RESULT, overall, first,
                last, heapBytes / (1024.0 * 1024.0));
    }
}
