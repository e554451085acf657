package io.seedmq.benchmarks;

import com.rabbitmq.client.ConnectionFactory;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs scenarios: a short untimed warm-up of each side, then {@link Settings#runs()} pairs in
 * alternation (seedmq, reference, seedmq, reference...) so drift of a shared machine hits both
 * sides alike. The ratio of each pair is taken before the median, so a slow spell affects one pair
 * rather than one side. Progress goes to the given stream, one line per run.
 */
public final class Runner {

    private final Settings settings;
    private final PrintStream progress;

    /**
     * @param settings durations and broker
     * @param progress where progress lines go
     */
    public Runner(Settings settings, PrintStream progress) {
        this.settings = settings;
        this.progress = progress;
    }

    /**
     * @param scenarios what to run, in order
     * @return the table, one row per metric of each scenario (or one row saying why it did not run)
     */
    public List<Row> run(List<Scenario> scenarios) {
        List<Row> rows = new ArrayList<>();
        Optional<String> brokerProblem = Optional.empty();
        boolean brokerChecked = false;
        for (Scenario s : scenarios) {
            if (s.needsBroker()) {
                if (!brokerChecked) {
                    brokerProblem = brokerProblem(settings.amqpUrl());
                    brokerChecked = true;
                }
                if (brokerProblem.isPresent()) {
                    rows.add(Row.notRun(s, "skipped: " + brokerProblem.get()));
                    continue;
                }
            }
            rows.addAll(run(s));
        }
        return rows;
    }

    private List<Row> run(Scenario s) {
        Map<String, List<Double>> seedmq = new LinkedHashMap<>();
        Map<String, List<Double>> reference = new LinkedHashMap<>();
        Map<String, List<Double>> ratios = new LinkedHashMap<>();
        List<Double> cpuSeedmq = new ArrayList<>();
        List<Double> cpuReference = new ArrayList<>();
        Map<String, Metric> metrics = new LinkedHashMap<>();
        for (Metric m : s.metrics()) {
            metrics.put(m.name(), m);
        }
        try {
            Settings warm = new Settings(settings.amqpUrl(), settings.warmUp().isZero() ? settings.measure()
                    : settings.warmUp(), Duration.ZERO, 1, settings.streamMessages());
            s.run(Side.SEEDMQ, warm);
            s.run(Side.REFERENCE, warm);
            for (int i = 1; i <= settings.runs(); i++) {
                Map<String, Double> a = measured(s, Side.SEEDMQ, cpuSeedmq);
                Map<String, Double> b = measured(s, Side.REFERENCE, cpuReference);
                for (String cpu : List.of(Cpu.CLIENT, Cpu.BROKER)) {
                    // Reported only where both sides could read it; a row needs a figure in every run.
                    if (i == 1 && a.containsKey(cpu) && b.containsKey(cpu)) {
                        metrics.put(cpu, Metric.lower(cpu, ""));
                    }
                }
                for (Metric m : metrics.values()) {
                    double x = figure(s, a, m);
                    double y = figure(s, b, m);
                    seedmq.computeIfAbsent(m.name(), k -> new ArrayList<>()).add(x);
                    reference.computeIfAbsent(m.name(), k -> new ArrayList<>()).add(y);
                    ratios.computeIfAbsent(m.name(), k -> new ArrayList<>()).add(y == 0 ? Double.NaN : x / y);
                }
                progress.printf("  %s run %d/%d: seedmq %s | reference %s%n", s.id(), i, settings.runs(), a, b);
            }
        } catch (Exception | Error e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            progress.printf("  %s failed: %s%n", s.id(), e);
            return List.of(Row.notRun(s, "failed: " + e));
        }
        List<Row> rows = new ArrayList<>();
        for (Metric m : metrics.values()) {
            rows.add(new Row(s, m, Summary.of(seedmq.get(m.name())), Summary.of(reference.get(m.name())),
                    Summary.of(ratios.get(m.name())),
                    cpuSeedmq.isEmpty() ? null : Summary.of(cpuSeedmq),
                    cpuReference.isEmpty() ? null : Summary.of(cpuReference), null));
        }
        return rows;
    }

    /** Runs one side and, for broker scenarios, the broker's CPU in percent of one core meanwhile. */
    private Map<String, Double> measured(Scenario s, Side side, List<Double> cpu) throws Exception {
        Cpu clock = Cpu.of(settings.amqpUrl(), s.needsBroker());
        Cpu.Snapshot before = clock.now();
        long start = System.nanoTime();
        Map<String, Double> figures = s.run(side, settings);
        long wall = System.nanoTime() - start;
        Cpu.Snapshot after = clock.now();
        if (before.broker() >= 0 && after.broker() >= 0) {
            cpu.add(100.0 * (after.broker() - before.broker()) / wall);
        }
        return figures;
    }

    private static double figure(Scenario s, Map<String, Double> figures, Metric m) {
        Double v = figures.get(m.name());
        if (v == null || v.isNaN()) {
            throw new IllegalStateException("scenario " + s.id() + " reported no '" + m.name() + "': " + figures);
        }
        return v;
    }

    private static Optional<String> brokerProblem(String url) {
        try {
            ConnectionFactory f = Raw.factory(url);
            f.setConnectionTimeout(3000);
            f.newConnection("seedmq-benchmarks-probe").close();
            return Optional.empty();
        } catch (Exception e) {
            return Optional.of("no RabbitMQ answered at " + Raw.redacted(url) + " (" + e + ")");
        }
    }

    /**
     * One line of the table.
     *
     * @param scenario the scenario
     * @param metric the figure, or {@code null} when the scenario did not run
     * @param seedmq seedmq's figure over the runs
     * @param reference the reference's figure over the runs
     * @param ratio seedmq ÷ reference, pair by pair
     * @param brokerCpuSeedmq the broker's CPU, percent of one core, during the seedmq runs; {@code null} if unknown
     * @param brokerCpuReference the same during the reference runs
     * @param note why it did not run, or {@code null}
     */
    public record Row(Scenario scenario, Metric metric, Summary seedmq, Summary reference, Summary ratio,
                      Summary brokerCpuSeedmq, Summary brokerCpuReference, String note) {

        static Row notRun(Scenario scenario, String why) {
            return new Row(scenario, null, null, null, null, null, null, why);
        }

        /** @return whether the median ratio meets the metric's target; empty without a target or figures */
        public Optional<Boolean> meetsTarget() {
            if (metric == null || metric.target().isEmpty()) {
                return Optional.empty();
            }
            String t = metric.target();
            double bar = Double.parseDouble(t.substring(1).trim());
            return Optional.of(t.startsWith("≥") ? ratio.median() >= bar : ratio.median() <= bar);
        }
    }
}
