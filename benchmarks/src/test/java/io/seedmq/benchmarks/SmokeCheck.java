package io.seedmq.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seedmq.benchmarks.Runner.Row;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Runs scenarios for a fraction of a second and checks the table is whole and sane (every declared
 * figure for every side, Spring AMQP's included where a scenario has it, and the client's CPU per
 * message where {@code /proc} can be read); never their speed.
 */
final class SmokeCheck {

    private SmokeCheck() {
    }

    /**
     * A second per side, one run, a short stream: long enough that a message sent while measuring
     * arrives before the end on a machine busy with other builds (latency counts only those).
     */
    static Settings brief(String url) {
        return Settings.of(url, 1.0, 1, 2_000);
    }

    static List<Row> runAndCheck(List<Scenario> scenarios, Settings settings) {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        List<Row> rows = new Runner(settings, new PrintStream(progress, true, StandardCharsets.UTF_8)).run(scenarios);
        String log = progress.toString(StandardCharsets.UTF_8);
        boolean procReadable = Files.isReadable(Path.of("/proc/self/stat"));
        for (Scenario s : scenarios) {
            List<String> names = rows.stream().filter(r -> r.scenario() == s && r.metric() != null)
                    .map(r -> r.metric().name()).toList();
            List<String> declared = s.metrics().stream().map(Metric::name).toList();
            assertEquals(declared, names.subList(0, Math.min(declared.size(), names.size())),
                    () -> s.id() + ": one row per declared metric, first: " + names + "\n" + log);
            List<String> extra = names.subList(declared.size(), names.size());
            assertTrue(List.of(Cpu.CLIENT, Cpu.BROKER, Cpu.SWITCHES).containsAll(extra), () -> s.id() + ": only CPU rows added: " + extra);
            if (procReadable && !(s instanceof MemoryStream)) {
                assertTrue(extra.contains(Cpu.CLIENT), () -> s.id() + ": client CPU per message reported: " + names);
                assertTrue(extra.contains(Cpu.SWITCHES), () -> s.id() + ": context switches per message reported: " + names);
            }
        }
        for (Row r : rows) {
            assertNull(r.note(), () -> r.scenario().id() + " did not run: " + r.note() + "\n" + log);
            List<Side> others = r.scenario().sides().stream().filter(side -> side != Side.SEEDMQ).toList();
            assertEquals(r.scenario().sides(), List.copyOf(new TreeSet<>(r.figures().keySet())),
                    () -> r.scenario().id() + " " + r.metric().name() + ": a figure for each side");
            assertEquals(others, List.copyOf(new TreeSet<>(r.ratios().keySet())),
                    () -> r.scenario().id() + " " + r.metric().name() + ": a ratio for each side but seedmq");
            List<Summary> summaries = new ArrayList<>(r.figures().values());
            summaries.addAll(r.ratios().values());
            for (Summary s : summaries) {
                assertTrue(Double.isFinite(s.median()) && s.median() > 0 && s.min() <= s.median()
                        && s.median() <= s.max(), () -> r.scenario().id() + " " + r.metric().name() + ": " + s);
            }
        }
        String table = Table.render(rows);
        assertEquals(rows.size() + 2, table.lines().count(), table);
        return rows;
    }
}
