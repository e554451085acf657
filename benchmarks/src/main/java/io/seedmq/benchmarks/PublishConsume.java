package io.seedmq.benchmarks;

import io.seedmq.messaging.AckMode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * One publishing thread, one consumer, one queue, driven identically for every side:
 * the same bodies, the same pacing, the same bound on unconfirmed publishes and on the backlog.
 * The {@link Probe} on the consuming side gives the figures. Every run uses a fresh queue (and, on
 * {@code memory://}, a fresh embedded broker) and removes it afterwards.
 */
final class PublishConsume extends PairedScenario {

    /** Where a side runs: the scenario gives it a URL and a unique queue name. */
    @FunctionalInterface
    interface EndpointFactory {
        Endpoint open(String url, String queue) throws Exception;
    }

    /**
     * How the publisher is held back.
     *
     * @param confirmWindow most publishes awaiting their confirm at once; 0 for no bound
     * @param backlog most messages published but not yet consumed; 0 for no bound
     * @param ratePerSecond a fixed publish rate, or 0 for as fast as it goes
     */
    record Load(int confirmWindow, int backlog, int ratePerSecond) {
    }

    private final Load load;
    private final EndpointFactory seedmq;
    private final EndpointFactory raw;
    private final EndpointFactory spring;

    PublishConsume(String id, String title, String reference, boolean inMemory, Load load, List<Metric> metrics,
                   EndpointFactory seedmq, EndpointFactory raw) {
        this(id, title, reference, inMemory, load, metrics, seedmq, raw, null);
    }

    /** @param spring the Spring AMQP side, or {@code null} for none */
    PublishConsume(String id, String title, String reference, boolean inMemory, Load load, List<Metric> metrics,
                   EndpointFactory seedmq, EndpointFactory raw, EndpointFactory spring) {
        super(id, title, reference, inMemory, metrics, spring != null);
        this.load = load;
        this.seedmq = seedmq;
        this.raw = raw;
        this.spring = spring;
    }

    /** One publish outstanding (5) or a fixed rate (3): a slow stream of messages. */
    @Override
    public boolean oneAtATime() {
        return load.confirmWindow() == 1 || load.ratePerSecond() > 0;
    }

    @Override
    public Map<String, Double> run(Side side, Settings settings) throws Exception {
        return inFreshPlace(settings, "", (url, queue) -> {
            Cpu cpu = Cpu.of(settings.amqpUrl(), needsBroker());
            Probe probe = load.ratePerSecond() > 0
                    ? new Probe.Latency(load.ratePerSecond() * (int) Math.max(1, settings.measure().toSeconds() + 2), cpu)
                    : new Probe.Throughput(cpu);
            try (Endpoint endpoint = pick(side, seedmq, raw, spring).open(url, queue)) {
                endpoint.consume(probe::received);
                Publisher publisher = new Publisher(endpoint, probe);
                publisher.start();
                try {
                    sleep(settings.warmUp());
                    probe.begin();
                    sleep(settings.measure());
                    return probe.end();
                } finally {
                    publisher.stop();
                }
            }
        });
    }

    private static void sleep(Duration d) throws InterruptedException {
        TimeUnit.NANOSECONDS.sleep(d.toNanos());
    }

    /** The publishing thread, applying the {@link Load}. */
    private final class Publisher {
        private final Endpoint endpoint;
        private final Probe probe;
        private final Thread thread;
        private final Semaphore confirms = new Semaphore(load.confirmWindow() > 0 ? load.confirmWindow() : 0);
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private volatile boolean stopped;

        Publisher(Endpoint endpoint, Probe probe) {
            this.endpoint = endpoint;
            this.probe = probe;
            this.thread = new Thread(this::loop, "seedmq-benchmarks-publisher");
            this.thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        private void loop() {
            boolean windowed = load.confirmWindow() > 0;
            Runnable release = windowed ? confirms::release : () -> { };
            long interval = load.ratePerSecond() > 0 ? TimeUnit.SECONDS.toNanos(1) / load.ratePerSecond() : 0;
            long next = System.nanoTime();
            long published = 0;
            try {
                while (!stopped) {
                    if (windowed && !confirms.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                        continue;
                    }
                    if (load.backlog() > 0 && (published & 63) == 0) {
                        while (!stopped && published - probe.received() >= load.backlog()) {
                            LockSupport.parkNanos(50_000);
                        }
                    }
                    if (interval > 0) {
                        next += interval;
                        long wait;
                        while ((wait = next - System.nanoTime()) > 0) {
                            LockSupport.parkNanos(wait);
                        }
                    }
                    endpoint.publish(probe.body(next), release);
                    published++;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception | Error e) {
                failure.set(e);
            }
        }

        void stop() throws Exception {
            stopped = true;
            thread.join(TimeUnit.SECONDS.toMillis(30));
            Throwable e = failure.get();
            if (e instanceof Exception ex) {
                throw ex;
            }
            if (e instanceof Error err) {
                throw err;
            }
        }
    }

    /** @return a factory ignoring the URL's transport-specific part where a reference has none */
    static EndpointFactory inProcess(Function<String, Endpoint> make) {
        return (url, queue) -> make.apply(queue);
    }

    /** @return how a seedmq consumer acknowledges */
    static AckMode ack(boolean manual) {
        return manual ? AckMode.MANUAL : AckMode.AUTO;
    }
}
