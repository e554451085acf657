package io.seedmq.benchmarks;

import io.seedmq.benchmarks.Runner.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders the rows as one Markdown table with padded columns, readable in a terminal and in
 * {@code BENCHMARKS.md} alike. Figures are medians with the range over the runs in brackets;
 * a ratio is seedmq ÷ the other side, so above 1 means seedmq has the larger figure. The Spring
 * AMQP columns appear when some row has a Spring side, and are empty in the rows without one.
 */
public final class Table {

    private static final List<String> HEADER = List.of("#", "scenario", "metric", "seedmq", "reference",
            "ratio seedmq÷ref", "target");
    private static final List<String> SPRING_HEADER = List.of("Spring AMQP", "ratio seedmq÷Spring");

    private Table() {
    }

    /**
     * @param rows the runner's rows
     * @return the table, one line per row after the header and the separator
     */
    public static String render(List<Row> rows) {
        boolean spring = rows.stream().anyMatch(r -> r.figures().containsKey(Side.SPRING));
        List<List<String>> cells = new ArrayList<>();
        List<String> header = new ArrayList<>(HEADER);
        if (spring) {
            header.addAll(SPRING_HEADER);
        }
        header.add(spring ? "broker CPU % (seedmq / ref / Spring)" : "broker CPU % (seedmq / ref)");
        cells.add(header);
        for (Row r : rows) {
            cells.add(cells(r, spring));
        }
        int[] width = new int[header.size()];
        for (List<String> line : cells) {
            for (int i = 0; i < line.size(); i++) {
                width[i] = Math.max(width[i], line.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int n = 0; n < cells.size(); n++) {
            line(out, cells.get(n), width);
            if (n == 0) {
                List<String> rule = new ArrayList<>();
                for (int w : width) {
                    rule.add("-".repeat(w));
                }
                line(out, rule, width);
            }
        }
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells, int[] width) {
        out.append('|');
        for (int i = 0; i < cells.size(); i++) {
            out.append(' ').append(cells.get(i)).append(" ".repeat(width[i] - cells.get(i).length())).append(" |");
        }
        out.append('\n');
    }

    private static List<String> cells(Row r, boolean springColumns) {
        Scenario s = r.scenario();
        String title = s.title() + " vs " + s.reference();
        List<String> cells = new ArrayList<>();
        if (r.metric() == null) {
            cells.addAll(List.of(s.id(), title, "", r.note()));
            while (cells.size() < HEADER.size() + (springColumns ? SPRING_HEADER.size() : 0) + 1) {
                cells.add("");
            }
            return cells;
        }
        Metric m = r.metric();
        String target = m.target().isEmpty() ? "" : m.target() + r.meetsTarget().map(ok -> ok ? " met" : " missed")
                .orElse("");
        cells.addAll(List.of(s.id(), title, m.name() + (m.higherIsBetter() ? " (higher is better)" : " (lower is better)"),
                figure(r.figures().get(Side.SEEDMQ)), figure(r.figures().get(Side.REFERENCE)), ratio(r.ratio()), target));
        boolean hasSpring = r.figures().containsKey(Side.SPRING);
        if (springColumns) {
            cells.add(hasSpring ? figure(r.figures().get(Side.SPRING)) : "");
            cells.add(hasSpring ? ratio(r.ratios().get(Side.SPRING)) : "");
        }
        List<String> cpu = new ArrayList<>();
        for (Side side : s.sides()) {
            Summary c = r.brokerCpu().get(side);
            if (c == null) {
                cpu.clear();
                break;
            }
            cpu.add(format(c.median(), 0));
        }
        cells.add(String.join(" / ", cpu));
        return cells;
    }

    private static String figure(Summary s) {
        double m = Math.abs(s.median());
        // Three significant digits below 100: a figure under one (context switches per message) keeps them too.
        int decimals = m >= 100 ? 0 : m >= 10 ? 1 : m >= 1 || m == 0 ? 2 : Math.min(6, 2 - (int) Math.floor(Math.log10(m)));
        return format(s.median(), decimals) + " (" + format(s.min(), decimals) + "–" + format(s.max(), decimals) + ")";
    }

    private static String ratio(Summary s) {
        return format(s.median(), 2) + " (" + format(s.min(), 2) + "–" + format(s.max(), 2) + ")";
    }

    private static String format(double v, int decimals) {
        return String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }
}
