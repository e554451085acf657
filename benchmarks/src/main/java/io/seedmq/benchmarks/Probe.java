package io.seedmq.benchmarks;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What a publish/consume scenario measures on the consuming side: throughput by counting, or
 * end-to-end latency from a send time written into each body. Measuring starts at {@link #begin()}
 * (after the warm-up) and ends at {@link #end()}; both also report the CPU the client process and
 * the broker spent per message consumed in between.
 */
abstract class Probe {

    /** Bodies are this long unless a scenario says otherwise. */
    static final int BODY_SIZE = 200;

    private final AtomicLong received = new AtomicLong();
    private final Cpu cpu;
    private Cpu.Snapshot cpuAtBegin;
    private long receivedAtBegin;

    /** @param cpu the clock of the client and the broker */
    Probe(Cpu cpu) {
        this.cpu = cpu;
    }

    /** Marks the start of the CPU window; the subclasses call it from {@link #begin()}. */
    final void beginCpu() {
        receivedAtBegin = received();
        cpuAtBegin = cpu.now();
    }

    /** @return {@code figures} with the CPU per message since {@link #beginCpu()} added */
    final Map<String, Double> withCpu(Map<String, Double> figures) {
        Map<String, Double> all = new HashMap<>(cpu.now().perMessage(cpuAtBegin, received() - receivedAtBegin));
        all.putAll(figures);
        return all;
    }

    /** @return how many bodies the consumer saw, warm-up included */
    final long received() {
        return received.get();
    }

    /** Called by the consuming thread for each body. */
    void received(byte[] body) {
        received.incrementAndGet();
    }

    /**
     * @param intendedNanos when the pacer meant to send it ({@link System#nanoTime()})
     * @return the body to publish next
     */
    abstract byte[] body(long intendedNanos);

    /** Starts measuring. */
    abstract void begin();

    /** @return the figures measured since {@link #begin()}, by metric name */
    abstract Map<String, Double> end();

    /** Counts deliveries: one shared body, figures in messages per second. */
    static final class Throughput extends Probe {
        static final String METRIC = "msg/s";
        private final byte[] body = new byte[BODY_SIZE];
        private long startCount;
        private long startNanos;

        Throughput(Cpu cpu) {
            super(cpu);
        }

        @Override
        byte[] body(long intendedNanos) {
            return body;
        }

        @Override
        void begin() {
            startCount = received();
            startNanos = System.nanoTime();
            beginCpu();
        }

        @Override
        Map<String, Double> end() {
            long count = received() - startCount;
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            return withCpu(Map.of(METRIC, count / seconds));
        }
    }

    /**
     * Times each delivery from the moment its publish was due, so a publisher falling behind its
     * schedule shows up in the latency instead of hiding it (no coordinated omission).
     */
    static final class Latency extends Probe {
        static final String MEDIAN = "median µs";
        static final String P99 = "p99 µs";
        private final AtomicLongArray samples;
        private final AtomicLong count = new AtomicLong();
        private volatile boolean measuring;
        private volatile long since;

        /**
         * @param capacity the most samples kept; later ones are dropped
         * @param cpu the clock of the client and the broker
         */
        Latency(int capacity, Cpu cpu) {
            super(cpu);
            this.samples = new AtomicLongArray(capacity);
        }

        @Override
        byte[] body(long intendedNanos) {
            byte[] body = new byte[BODY_SIZE];
            ByteBuffer.wrap(body).putLong(intendedNanos);
            return body;
        }

        @Override
        void received(byte[] body) {
            super.received(body);
            long now = System.nanoTime();
            long sent = ByteBuffer.wrap(body).getLong();
            if (measuring && sent - since >= 0) {
                long i = count.getAndIncrement();
                if (i < samples.length()) {
                    samples.set((int) i, now - sent);
                }
            }
        }

        @Override
        void begin() {
            since = System.nanoTime();
            beginCpu();
            measuring = true;
        }

        @Override
        Map<String, Double> end() {
            measuring = false;
            Map<String, Double> cpuFigures = withCpu(Map.of());
            int n = (int) Math.min(count.get(), samples.length());
            if (n == 0) {
                throw new IllegalStateException("no message arrived while measuring latency");
            }
            long[] sorted = new long[n];
            for (int i = 0; i < n; i++) {
                sorted[i] = samples.get(i);
            }
            Summary.sort(sorted);
            Map<String, Double> figures = new HashMap<>(cpuFigures);
            figures.put(MEDIAN, Summary.percentile(sorted, 0.5) / 1e3);
            figures.put(P99, Summary.percentile(sorted, 0.99) / 1e3);
            return figures;
        }
    }
}
