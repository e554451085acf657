package io.seedmq.benchmarks;

import io.seedmq.benchmarks.Runner.Row;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The command line, parsed by picocli:
 * {@code java -jar seedmq-benchmarks.jar <scenario|all> [--url URL] [--seconds N] [--runs N]
 * [--messages N] [--markdown FILE]}. A scenario is named by its id ({@code 1}, {@code 6a}) or a
 * prefix of ids ({@code 6} runs 6a to 6d). Prints progress, then the table; exits 2 on a
 * usage error (an unknown option, a missing or ill-typed value, no such scenario: each named, with
 * the usage), 1 if a scenario failed, 0 otherwise (a skipped scenario is no failure).
 */
@Command(name = "seedmq-benchmarks", mixinStandardHelpOptions = true, version = "seedmq benchmarks",
        sortOptions = false,
        description = "Measures seedmq beside hand-written references on raw amqp-client and java.util.concurrent,"
                + " alternating the two, and prints the table (see BENCHMARKS.md).")
public final class Main implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SCENARIO",
            description = "an id (1, 1b, 2, 3, 4a-4g, 5, 6a-6d, 7, o1, o4a, o6a), a prefix of ids (4, 6), or all")
    private String scenario;

    @Option(names = "--url", paramLabel = "URL",
            description = "the RabbitMQ of the AMQP scenarios (default: $SEEDMQ_AMQP_URL, else the local broker on 127.0.0.1:5672, user guest, vhost /)")
    private String url;

    @Option(names = "--seconds", paramLabel = "N", defaultValue = "5",
            description = "measurement per side and run, fractions allowed (default: ${DEFAULT-VALUE})")
    private double seconds;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "3",
            description = "seedmq/reference pairs per scenario, alternating (default: ${DEFAULT-VALUE})")
    private int runs;

    @Option(names = "--messages", paramLabel = "N", defaultValue = "1000000",
            description = "messages through the worker of scenario 7 (default: ${DEFAULT-VALUE})")
    private int messages;

    @Option(names = "--markdown", paramLabel = "FILE", description = "also write the table to FILE")
    private Path markdown;

    @Spec
    private CommandSpec spec;

    private final PrintStream out;
    private final PrintStream err;

    private Main(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /**
     * @param args see the class comment
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the command line without exiting the JVM.
     *
     * @param args see the class comment
     * @param out receives the table
     * @param err receives progress and usage errors
     * @return the exit status
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine commandLine = new CommandLine(new Main(out, err));
        commandLine.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        commandLine.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        commandLine.setParameterExceptionHandler((e, ignored) -> {
            PrintWriter w = e.getCommandLine().getErr();
            w.println("error: " + e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, w);
            e.getCommandLine().usage(w);
            return CommandLine.ExitCode.USAGE;
        });
        return commandLine.execute(args);
    }

    @Override
    public Integer call() throws IOException {
        String amqpUrl = url != null ? url : System.getenv().getOrDefault("SEEDMQ_AMQP_URL", Settings.DEFAULT_AMQP_URL);
        Settings settings;
        try {
            settings = Settings.of(amqpUrl, seconds, runs, messages);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        List<Scenario> chosen = Scenarios.all().stream()
                .filter(s -> scenario.equals("all") || s.id().startsWith(scenario)).toList();
        if (chosen.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "no scenario '" + scenario + "'");
        }
        err.printf("seedmq benchmarks: %s; %s s per side and run after %s s warm-up, %d runs; broker %s%n",
                chosen.stream().map(Scenario::id).toList(), settings.measure().toMillis() / 1e3,
                settings.warmUp().toMillis() / 1e3, settings.runs(), Raw.redacted(settings.amqpUrl()));
        List<Row> rows = new Runner(settings, err).run(chosen);
        String table = Table.render(rows);
        out.print(table);
        if (markdown != null) {
            Files.writeString(markdown, table, StandardCharsets.UTF_8);
        }
        return rows.stream().anyMatch(r -> r.note() != null && r.note().startsWith("failed")) ? 1 : 0;
    }
}
