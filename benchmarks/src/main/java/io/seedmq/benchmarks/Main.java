package io.seedmq.benchmarks;

import io.seedmq.benchmarks.Runner.Row;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The command line:
 * {@code java -jar seedmq-benchmarks.jar <scenario|all> [--url URL] [--seconds N] [--runs N]
 * [--messages N] [--markdown FILE]}. A scenario is named by its id ({@code 1}, {@code 6a}) or a
 * prefix of ids ({@code 6} runs 6a to 6d). Prints progress, then the table; exits 2 on a
 * usage error, 1 if a scenario failed, 0 otherwise (a skipped scenario is no failure).
 */
public final class Main {

    private static final String USAGE = """
            usage: java -jar seedmq-benchmarks.jar <scenario|all> [--url URL] [--seconds N] [--runs N]
                   [--messages N] [--markdown FILE]
              scenario  an id (1, 1b, 2, 3, 4a, 4b, 6a-6d, 7), a prefix of ids (6), or all
              --url     the RabbitMQ for the AMQP scenarios (default $SEEDMQ_AMQP_URL, else %s)
              --seconds measurement per side and run, fractions allowed (default 5)
              --runs    seedmq/reference pairs per scenario, alternating (default 3)
              --messages messages through the worker of scenario 7 (default 1000000)
              --markdown also write the table to FILE
            """;

    private Main() {
    }

    /**
     * @param args see the class comment
     * @throws IOException if the Markdown file cannot be written
     */
    public static void main(String[] args) throws IOException {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the command line without exiting the JVM.
     *
     * @param args see the class comment
     * @param out receives the table
     * @param err receives progress and usage errors
     * @return the exit status
     * @throws IOException if the Markdown file cannot be written
     */
    public static int run(String[] args, PrintStream out, PrintStream err) throws IOException {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.printf(USAGE, Settings.DEFAULT_AMQP_URL);
            return 2;
        }
        List<Scenario> chosen = Scenarios.all().stream()
                .filter(s -> options.scenario.equals("all") || s.id().startsWith(options.scenario)).toList();
        if (chosen.isEmpty()) {
            err.println("no scenario '" + options.scenario + "'");
            err.printf(USAGE, Settings.DEFAULT_AMQP_URL);
            return 2;
        }
        err.printf("seedmq benchmarks: %s; %s s per side and run after %s s warm-up, %d runs; broker %s%n",
                chosen.stream().map(Scenario::id).toList(), options.settings.measure().toMillis() / 1e3,
                options.settings.warmUp().toMillis() / 1e3, options.settings.runs(),
                Raw.redacted(options.settings.amqpUrl()));
        List<Row> rows = new Runner(options.settings, err).run(chosen);
        String table = Table.render(rows);
        out.print(table);
        if (options.markdown != null) {
            Files.writeString(options.markdown, table, StandardCharsets.UTF_8);
        }
        return rows.stream().anyMatch(r -> r.note() != null && r.note().startsWith("failed")) ? 1 : 0;
    }

    /** The parsed command line. */
    private record Options(String scenario, Settings settings, Path markdown) {

        static Options parse(String[] args) {
            if (args.length == 0) {
                throw new IllegalArgumentException("which scenario?");
            }
            Map<String, String> env = System.getenv();
            String url = env.getOrDefault("SEEDMQ_AMQP_URL", Settings.DEFAULT_AMQP_URL);
            double seconds = 5;
            int runs = 3;
            int messages = 1_000_000;
            Path markdown = null;
            for (int i = 1; i < args.length; i++) {
                String flag = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(flag + " needs a value");
                }
                String value = args[++i];
                try {
                    switch (flag) {
                        case "--url" -> url = value;
                        case "--seconds" -> seconds = Double.parseDouble(value);
                        case "--runs" -> runs = Integer.parseInt(value);
                        case "--messages" -> messages = Integer.parseInt(value);
                        case "--markdown" -> markdown = Path.of(value);
                        default -> throw new IllegalArgumentException("unknown option " + flag);
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(flag + " wants a number, not " + value, e);
                }
            }
            return new Options(args[0], Settings.of(url, seconds, runs, messages), markdown);
        }
    }
}
