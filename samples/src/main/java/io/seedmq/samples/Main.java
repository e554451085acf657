package io.seedmq.samples;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Command line of the samples jar:
 * {@code java -jar seedmq-samples.jar <sample> [--url URL] [--role ROLE] [args...]}, parsed by
 * picocli: every command has {@code --help}, options show their defaults, and an unknown option or
 * a missing value is an error that names it and shows the usage (exit status 2), never a run
 * against another broker.
 *
 * <p>Without {@code --role} a sample runs all its parties in this process and checks the outcome;
 * {@code tour} does that for every sample. With {@code --role} the process plays one party
 * against a real broker, with the seeds' names, so several processes (or the Python seeds) can
 * talk to each other. The default URL is {@code memory://}, the embedded broker.
 */
@Command(name = "seedmq-samples", mixinStandardHelpOptions = true, version = "seedmq samples",
        synopsisSubcommandLabel = "SAMPLE",
        description = "Runs seedmq's samples: one program per pattern of the RabbitMQ, kombu and oslo.messaging"
                + " tutorials, all parties in this process (the outcome checked), or one party per process.",
        footer = {"", "Without --role a sample plays every party here, on memory:// unless --url says otherwise.",
                "With --role it plays one party on a real broker; receivers, workers and servers run until Ctrl+C."})
public final class Main implements Callable<Integer> {

    /** The URL used when none is given. */
    public static final String DEFAULT_URL = "memory://";

    private static final List<Sample> SAMPLES = List.of(
            new HelloWorld(), new WorkQueues(), new PublishSubscribe(), new Routing(), new Topics(), new Rpc(),
            new OsloRpc(), new Notifications(), new Observability());

    @Spec
    private CommandSpec spec;

    private Main() {
    }

    /** Without a sample: the usage, and a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CommandLine.ExitCode.USAGE;
    }

    /**
     * Runs the command line and exits with its status; exits explicitly, because a transport's
     * threads may otherwise keep the JVM alive after a failure.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /**
     * @param out where usage and results go
     * @param err where errors go
     * @param args the command line
     * @return the exit status: 0 when everything passed or the role ended normally, 1 when a check
     *     or a role failed, 2 on a usage error
     */
    static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.addSubcommand("tour", new TourCommand());
        for (Sample sample : SAMPLES) {
            SampleCommand.addTo(commandLine, sample, null);
        }
        // One party of a sample under a name of its own, as the tutorials name their scripts.
        SampleCommand.addTo(commandLine, sample("oslo-rpc"), "server");
        SampleCommand.addTo(commandLine, sample("oslo-rpc"), "client");
        SampleCommand.addTo(commandLine, sample("notify"), "send");
        SampleCommand.addTo(commandLine, sample("notify"), "listener");
        List<String> footer = new ArrayList<>(List.of(commandLine.getCommandSpec().usageMessage().footer()));
        footer.add("");
        footer.add("Roles, one party per process (RabbitMQ: --url amqp://guest:guest@127.0.0.1:5672/):");
        SAMPLES.forEach(s -> s.roles().forEach(r -> footer.add("  " + r)));
        commandLine.getCommandSpec().usageMessage().footer(footer.toArray(String[]::new));
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setParameterExceptionHandler(Main::usageError);
        commandLine.setExecutionExceptionHandler((e, cl, parsed) -> {
            cl.getErr().println("error: " + e);
            return CommandLine.ExitCode.SOFTWARE;
        });
        return commandLine.execute(args);
    }

    /**
     * A usage error names what was wrong, suggests what was perhaps meant, and always shows the
     * usage of the command it happened in.
     */
    static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine commandLine = e.getCommandLine();
        PrintWriter err = commandLine.getErr();
        err.println("error: " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        commandLine.usage(err);
        return CommandLine.ExitCode.USAGE;
    }

    /** @return every sample, in tour order */
    static List<Sample> samples() {
        return SAMPLES;
    }

    private static Sample sample(String name) {
        return SAMPLES.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    /** @param url a broker URL @return the URL with its password replaced by {@code ***} */
    static String masked(String url) {
        return url.replaceFirst("(//[^:/@]*:)[^@/]*@", "$1***@");
    }

    /** {@code tour}: every sample in this process, one PASS/FAIL line each. */
    @Command(name = "tour", mixinStandardHelpOptions = true,
            description = "Runs every sample in this process against one broker and prints one PASS or FAIL line"
                    + " per sample; exits 1 if any fails.")
    static final class TourCommand implements Callable<Integer> {

        @Option(names = "--url", paramLabel = "URL", defaultValue = DEFAULT_URL,
                description = "the broker (default: ${DEFAULT-VALUE}, the embedded one)")
        private String url;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            boolean passed = Tour.run(url, SAMPLES, out);
            out.flush();
            return passed ? 0 : 1;
        }
    }
}
