package io.seedmq.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The harness on memory:// produces a whole, sane table")
class InMemorySmokeTest {

    @Test
    @DisplayName("each in-memory scenario, and the -Xmx64m stream, reports every figure for both sides")
    void inMemoryScenariosReportEveryFigure() {
        List<Scenario> inMemory = Scenarios.all().stream().filter(s -> !s.needsBroker()).toList();
        assertTrue(inMemory.stream().anyMatch(s -> s.id().equals("7")), "the stream scenario is among them");
        SmokeCheck.runAndCheck(inMemory, SmokeCheck.brief(Settings.DEFAULT_AMQP_URL));
    }

    @Test
    @DisplayName("Spring AMQP is a third side of scenarios 1, 1b, 2, 4a, 4b and 5, after seedmq and the raw reference")
    void springSides() {
        List<String> withSpring = Scenarios.all().stream().filter(s -> s.sides().contains(Side.SPRING))
                .map(Scenario::id).toList();
        assertEquals(List.of("1", "1b", "2", "4a", "4b", "5"), withSpring);
        Scenarios.all().stream().filter(s -> s.sides().contains(Side.SPRING)).forEach(s ->
                assertEquals(List.of(Side.SEEDMQ, Side.REFERENCE, Side.SPRING), s.sides(), s.id()));
    }

    @Test
    @DisplayName("the command line prints the table and writes it as Markdown")
    void commandLineWritesMarkdown(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("table.md");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"6a", "--seconds", "0.2", "--runs", "2", "--markdown", file.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String table = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, () -> err.toString(StandardCharsets.UTF_8));
        assertEquals(table, Files.readString(file));
        assertTrue(table.lines().anyMatch(l -> l.startsWith("| 6a ")), table);
        assertEquals(2, err.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("6a run")).count(),
                "two alternating runs");
    }

    @Test
    @DisplayName("a usage error exits 2 without running anything, naming the mistake and showing the usage")
    void usageErrors() throws Exception {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertEquals(2, Main.run(new String[] {}, sink, sink));
        assertEquals(2, Main.run(new String[] {"nine"}, sink, sink));
        assertEquals(2, Main.run(new String[] {"6a", "--runs", "none"}, sink, sink));
        assertEquals(2, Main.run(new String[] {"6a", "--seconds", "0"}, sink, sink));
        assertEquals(2, Main.run(new String[] {"6a", "--markdown"}, sink, sink));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, Main.run(new String[] {"6a", "--second", "1"}, sink,
                new PrintStream(err, true, StandardCharsets.UTF_8)));
        String said = err.toString(StandardCharsets.UTF_8);
        assertTrue(said.contains("'--second'") && said.contains("--seconds") && said.contains("Usage: seedmq-benchmarks"),
                said);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, Main.run(new String[] {"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8), sink));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("(default: 5)"), out.toString(StandardCharsets.UTF_8));
    }
}
