package io.seedmq.benchmarks;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * RPC calls of {@code add(x, y)} from one client thread: one at a time (each waits for its reply;
 * latency median and p99, calls per second), or with a fixed number outstanding (calls per second).
 * Each run sets up its own server and client and tears them down. The CPU per call covers client
 * and server, which share this JVM.
 */
final class RpcRoundTrips extends PairedScenario {

    static final String CALLS = "calls/s";

    /** Opens one side's server and client. */
    @FunctionalInterface
    interface CallerFactory {
        Caller open(String url, String name) throws Exception;
    }

    private final int outstanding;
    private final CallerFactory seedmq;
    private final CallerFactory raw;
    private final CallerFactory spring;

    /**
     * @param outstanding 1 for sequential calls (latency is then measured too), more to pipeline
     */
    RpcRoundTrips(String id, String title, String reference, boolean inMemory, int outstanding, List<Metric> metrics,
                  CallerFactory seedmq, CallerFactory raw) {
        this(id, title, reference, inMemory, outstanding, metrics, seedmq, raw, null);
    }

    /** @param spring the Spring AMQP side, or {@code null} for none */
    RpcRoundTrips(String id, String title, String reference, boolean inMemory, int outstanding, List<Metric> metrics,
                  CallerFactory seedmq, CallerFactory raw, CallerFactory spring) {
        super(id, title, reference, inMemory, metrics, spring != null);
        this.outstanding = outstanding;
        this.seedmq = seedmq;
        this.raw = raw;
        this.spring = spring;
    }

    /** Every RPC scenario waits for its calls' replies: at most a few thousand a second. */
    @Override
    public boolean oneAtATime() {
        return true;
    }

    @Override
    public Map<String, Double> run(Side side, Settings settings) throws Exception {
        return inFreshPlace(settings, "rpc-", (url, name) -> {
            try (Caller caller = pick(side, seedmq, raw, spring).open(url, name)) {
                caller.add(1, 2).get(30, TimeUnit.SECONDS);
                Cpu cpu = Cpu.of(settings.amqpUrl(), needsBroker());
                return outstanding == 1 ? sequential(caller, settings, cpu) : pipelined(caller, settings, cpu);
            }
        });
    }

    private static Map<String, Double> sequential(Caller caller, Settings settings, Cpu cpu) throws Exception {
        long warmEnd = System.nanoTime() + settings.warmUp().toNanos();
        while (System.nanoTime() < warmEnd) {
            caller.add(1, 2).get(30, TimeUnit.SECONDS);
        }
        long[] latencies = new long[1024];
        int n = 0;
        Cpu.Snapshot cpuAtStart = cpu.now();
        long start = System.nanoTime();
        long end = start + settings.measure().toNanos();
        long now = start;
        while (now < end) {
            long t0 = now;
            caller.add(n, 2).get(30, TimeUnit.SECONDS);
            now = System.nanoTime();
            if (n == latencies.length) {
                latencies = Arrays.copyOf(latencies, n * 2);
            }
            latencies[n++] = now - t0;
        }
        Map<String, Double> figures = new HashMap<>(cpu.now().perMessage(cpuAtStart, n));
        long[] sorted = Summary.sort(Arrays.copyOf(latencies, n));
        figures.put(Probe.Latency.MEDIAN, Summary.percentile(sorted, 0.5) / 1e3);
        figures.put(Probe.Latency.P99, Summary.percentile(sorted, 0.99) / 1e3);
        figures.put(CALLS, n / ((now - start) / 1e9));
        return figures;
    }

    private Map<String, Double> pipelined(Caller caller, Settings settings, Cpu cpu) throws Exception {
        Semaphore window = new Semaphore(outstanding);
        AtomicLong completed = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long warmEnd = System.nanoTime() + settings.warmUp().toNanos();
        long start = 0;
        long startCount = 0;
        Cpu.Snapshot cpuAtStart = null;
        long end = Long.MAX_VALUE;
        boolean measuring = false;
        while (true) {
            long now = System.nanoTime();
            if (!measuring && now >= warmEnd) {
                measuring = true;
                start = now;
                startCount = completed.get();
                cpuAtStart = cpu.now();
                end = now + settings.measure().toNanos();
            }
            if (now >= end || failure.get() != null) {
                break;
            }
            if (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                continue;
            }
            caller.add(1, 2).whenComplete((sum, e) -> {
                if (e != null) {
                    failure.compareAndSet(null, e);
                }
                completed.incrementAndGet();
                window.release();
            });
        }
        long count = completed.get() - startCount;
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Double> figures = new HashMap<>(cpu.now().perMessage(cpuAtStart, count));
        window.tryAcquire(outstanding, 30, TimeUnit.SECONDS);
        if (failure.get() != null) {
            throw new IllegalStateException("a call failed", failure.get());
        }
        figures.put(CALLS, count / seconds);
        return figures;
    }
}
