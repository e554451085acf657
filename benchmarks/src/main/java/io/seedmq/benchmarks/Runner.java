package io.seedmq.benchmarks;

import com.rabbitmq.client.ConnectionFactory;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Runs scenarios: a short untimed warm-up of each side, then {@link Settings#runs()} rounds in
 * alternation (seedmq, reference, [Spring,] seedmq, reference...) so drift of a shared machine hits
 * every side alike. The ratio of seedmq to each other side is taken round by round before the
 * median, so a slow spell affects one round rather than one side. Progress goes to the given
 * stream, one line per round.
 */
public final class Runner {

    /** The longest warm-up of a scenario that moves one call at a time. */
    private static final Duration ONE_AT_A_TIME_WARM_UP = Duration.ofSeconds(10);

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

    /**
     * How long each side runs untimed before the rounds: the settings' warm-up, or for a scenario
     * that moves one call at a time twice the measurement, at most {@link #ONE_AT_A_TIME_WARM_UP}.
     * At a few hundred calls a second the JIT was still compiling seedmq's longer paths through the
     * first rounds (C2 busy for a third of the process's CPU), which is paid once, not per call.
     */
    private Duration warmUp(Scenario s) {
        Duration base = settings.warmUp().isZero() ? settings.measure() : settings.warmUp();
        if (!s.oneAtATime()) {
            return base;
        }
        Duration longer = settings.measure().multipliedBy(2);
        longer = longer.compareTo(ONE_AT_A_TIME_WARM_UP) > 0 ? ONE_AT_A_TIME_WARM_UP : longer;
        return longer.compareTo(base) > 0 ? longer : base;
    }

    private List<Row> run(Scenario s) {
        List<Side> sides = s.sides();
        Map<Side, Map<String, List<Double>>> figures = new EnumMap<>(Side.class);
        Map<Side, Map<String, List<Double>>> ratios = new EnumMap<>(Side.class);
        Map<Side, List<Double>> brokerCpu = new EnumMap<>(Side.class);
        for (Side side : sides) {
            figures.put(side, new LinkedHashMap<>());
            ratios.put(side, new LinkedHashMap<>());
            brokerCpu.put(side, new ArrayList<>());
        }
        Map<String, Metric> metrics = new LinkedHashMap<>();
        for (Metric m : s.metrics()) {
            metrics.put(m.name(), m);
        }
        try {
            Settings warm = new Settings(settings.amqpUrl(), warmUp(s), Duration.ZERO, 1, settings.streamMessages());
            for (Side side : sides) {
                s.run(side, warm);
            }
            for (int i = 1; i <= settings.runs(); i++) {
                Map<Side, Map<String, Double>> run = new EnumMap<>(Side.class);
                for (Side side : sides) {
                    run.put(side, measured(s, side, brokerCpu.get(side)));
                }
                for (String cpu : List.of(Cpu.CLIENT, Cpu.BROKER, Cpu.SWITCHES)) {
                    // Reported only where every side could read it; a row needs a figure in every run.
                    if (i == 1 && run.values().stream().allMatch(f -> f.containsKey(cpu))) {
                        metrics.put(cpu, Metric.lower(cpu, ""));
                    }
                }
                for (Metric m : metrics.values()) {
                    double ours = figure(s, run.get(Side.SEEDMQ), m);
                    for (Side side : sides) {
                        double theirs = figure(s, run.get(side), m);
                        figures.get(side).computeIfAbsent(m.name(), k -> new ArrayList<>()).add(theirs);
                        if (side != Side.SEEDMQ) {
                            ratios.get(side).computeIfAbsent(m.name(), k -> new ArrayList<>())
                                    .add(theirs == 0 ? Double.NaN : ours / theirs);
                        }
                    }
                }
                StringBuilder line = new StringBuilder();
                for (Side side : sides) {
                    line.append(line.length() == 0 ? "" : " | ").append(side.name().toLowerCase(Locale.ROOT))
                            .append(' ').append(run.get(side));
                }
                progress.printf("  %s run %d/%d: %s%n", s.id(), i, settings.runs(), line);
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
            Map<Side, Summary> figure = new EnumMap<>(Side.class);
            Map<Side, Summary> ratio = new EnumMap<>(Side.class);
            Map<Side, Summary> cpu = new EnumMap<>(Side.class);
            for (Side side : sides) {
                figure.put(side, Summary.of(figures.get(side).get(m.name())));
                if (side != Side.SEEDMQ) {
                    ratio.put(side, Summary.of(ratios.get(side).get(m.name())));
                }
                if (!brokerCpu.get(side).isEmpty()) {
                    cpu.put(side, Summary.of(brokerCpu.get(side)));
                }
            }
            rows.add(new Row(s, m, figure, ratio, cpu, null));
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
     * @param figures each side's figure over the runs, for each of the scenario's sides
     * @param ratios seedmq ÷ that side, round by round, for each side but seedmq
     * @param brokerCpu the broker's CPU, percent of one core, during each side's runs, where known
     * @param note why it did not run, or {@code null}
     */
    public record Row(Scenario scenario, Metric metric, Map<Side, Summary> figures, Map<Side, Summary> ratios,
                      Map<Side, Summary> brokerCpu, String note) {

        /** Copies the maps. */
        public Row {
            figures = Map.copyOf(figures);
            ratios = Map.copyOf(ratios);
            brokerCpu = Map.copyOf(brokerCpu);
        }

        static Row notRun(Scenario scenario, String why) {
            return new Row(scenario, null, Map.of(), Map.of(), Map.of(), why);
        }

        /** @return seedmq ÷ the raw reference, the ratio the targets are set on */
        public Summary ratio() {
            return ratios.get(Side.REFERENCE);
        }

        /** @return whether the median ratio meets the metric's target; empty without a target or figures */
        public Optional<Boolean> meetsTarget() {
            if (metric == null || metric.target().isEmpty()) {
                return Optional.empty();
            }
            String t = metric.target();
            double bar = Double.parseDouble(t.substring(1).trim());
            return Optional.of(t.startsWith("≥") ? ratio().median() >= bar : ratio().median() <= bar);
        }
    }
}
