package io.seedmq.samples;

import io.seedmq.messaging.Connection;
import io.seedmq.messaging.ConsumerOptions;
import io.seedmq.messaging.ConsumerWorker;
import io.seedmq.messaging.Publish;
import io.seedmq.messaging.Queue;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load run of {@link LoadRun}, in a child JVM with a small fixed heap: streams N small
 * messages through a {@link ConsumerWorker} (manual ack, prefetch 500) while publishing with at
 * most 1,000 unconfirmed at once, and prints one {@code RESULT} line with the duration, the most
 * heap used (sampled every 50 ms) and the thread counts. The broker URL comes from
 * {@code SEEDMQ_LOAD_URL}, never the command line.
 */
public final class LoadWorker {

    private LoadWorker() {
    }

    /** @param args the message count */
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        String url = System.getenv("SEEDMQ_LOAD_URL");
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        AtomicLong maxHeap = new AtomicLong();
        AtomicLong maxThreads = new AtomicLong();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> {
            maxHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
            maxThreads.accumulateAndGet(threads.getThreadCount(), Math::max);
        }, 0, 50, TimeUnit.MILLISECONDS);
        String q = "seedmq-load-" + UUID.randomUUID();
        CountDownLatch done = new CountDownLatch(n);
        CountDownLatch warm = new CountDownLatch(Math.min(n, 10_000));
        try (Connection conn = Connection.open(url)) {
            Queue queue = Queue.builder(q).build();
            conn.declare(queue);
            ConsumerWorker worker = ConsumerWorker.builder(conn)
                    .consume(ConsumerOptions.builder().queue(queue).prefetch(500).build(), m -> {
                        m.ack();
                        warm.countDown();
                        done.countDown();
                    }).build();
            worker.start();
            Semaphore window = new Semaphore(1000);
            Publish to = Publish.toQueue(q).persistent(false);
            long t0 = System.nanoTime();
            int threadsWarm = -1;
            for (int i = 0; i < n; i++) {
                window.acquire();
                conn.producer().publishAsync("msg-" + i, to).whenComplete((ok, e) -> {
                    window.release();
                    if (e != null) {
                        System.out.println("PUBLISH-FAILED " + e);
                    }
                });
                if (threadsWarm < 0 && warm.getCount() == 0) {
                    threadsWarm = threads.getThreadCount();
                }
            }
            boolean all = done.await(10, TimeUnit.MINUTES);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            int threadsEnd = threads.getThreadCount();
            worker.stop();
            conn.deleteQueue(q);
            sampler.shutdown();
            System.out.printf("RESULT all=%s n=%d ms=%d maxHeapMB=%d xmxMB=%d threadsWarm=%d threadsEnd=%d threadsMax=%d%n",
                    all, n, millis, maxHeap.get() >> 20, Runtime.getRuntime().maxMemory() >> 20,
                    threadsWarm < 0 ? threadsEnd : threadsWarm, threadsEnd, maxThreads.get());
        }
    }
}
