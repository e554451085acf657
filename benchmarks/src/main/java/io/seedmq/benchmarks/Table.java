package io.seedmq.benchmarks;

import io.seedmq.benchmarks.Runner.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders the rows as one Markdown table with padded columns, readable in a terminal and in
 * {@code BENCHMARKS.md} alike. Figures are medians with the range over the runs in brackets;
 * the ratio is seedmq ÷ reference, so above 1 means seedmq has the larger figure.
 */
public final class Table {

    private static final List<String> HEADER = List.of("#", "scenario", "metric", "seedmq", "reference",
            "ratio seedmq÷ref", "target", "broker CPU % (seedmq / ref)");

    private Table() {
    }

    /**
     * @param rows the runner's rows
     * @return the table, one line per row after the header and the separator
     */
    public static String render(List<Row> rows) {
        List<List<String>> cells = new ArrayList<>();
        cells.add(HEADER);
        for (Row r : rows) {
            cells.add(cells(r));
        }
        int[] width = new int[HEADER.size()];
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

    private static List<String> cells(Row r) {
        Scenario s = r.scenario();
        String title = s.title() + " vs " + s.reference();
        if (r.metric() == null) {
            return List.of(s.id(), title, "", r.note(), "", "", "", "");
        }
        Metric m = r.metric();
        String target = m.target().isEmpty() ? "" : m.target() + r.meetsTarget().map(ok -> ok ? " met" : " missed")
                .orElse("");
        String cpu = r.brokerCpuSeedmq() == null || r.brokerCpuReference() == null ? ""
                : format(r.brokerCpuSeedmq().median(), 0) + " / " + format(r.brokerCpuReference().median(), 0);
        return List.of(s.id(), title, m.name() + (m.higherIsBetter() ? " (higher is better)" : " (lower is better)"),
                figure(r.seedmq()), figure(r.reference()), ratio(r.ratio()), target, cpu);
    }

    private static String figure(Summary s) {
        int decimals = Math.abs(s.median()) >= 100 ? 0 : Math.abs(s.median()) >= 10 ? 1 : 2;
        return format(s.median(), decimals) + " (" + format(s.min(), decimals) + "–" + format(s.max(), decimals) + ")";
    }

    private static String ratio(Summary s) {
        return format(s.median(), 2) + " (" + format(s.min(), 2) + "–" + format(s.max(), 2) + ")";
    }

    private static String format(double v, int decimals) {
        return String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }
}
