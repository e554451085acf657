package io.seedmq.samples;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * One sample as a command: {@code --url}, {@code --role} and the role's arguments, plus the options
 * the sample adds (its {@link Sample#options()}). Made for every sample, and for the commands that
 * name one role ({@code oslo-rpc-server}), which have no {@code --role}.
 */
@Command(mixinStandardHelpOptions = true, sortOptions = false)
final class SampleCommand implements Callable<Integer> {

    @Option(names = "--url", paramLabel = "URL", defaultValue = Main.DEFAULT_URL, order = 0,
            description = "the broker (default: ${DEFAULT-VALUE}, the embedded one; a role needs a real one,"
                    + " e.g. amqp://guest:guest@127.0.0.1:5672/)")
    private String url;

    @Option(names = "--role", paramLabel = "ROLE", order = 1,
            description = "play one party, in this process, on a real broker (the roles are listed below);"
                    + " without it every party runs here and the outcome is checked")
    private String role;

    @Parameters(paramLabel = "ARG", arity = "0..*", description = "the role's arguments, as listed below")
    private List<String> args = new ArrayList<>();

    private final Sample sample;
    private final String fixedRole;
    private CommandSpec spec;

    private SampleCommand(Sample sample, String fixedRole) {
        this.sample = sample;
        this.fixedRole = fixedRole;
    }

    /**
     * @param parent the command line to add to
     * @param sample the sample
     * @param fixedRole {@code null} for the sample's own command, or the one role a command named
     *     {@code <sample>-<role>} plays
     */
    static void addTo(CommandLine parent, Sample sample, String fixedRole) {
        SampleCommand command = new SampleCommand(sample, fixedRole);
        CommandLine commandLine = new CommandLine(command);
        CommandSpec spec = commandLine.getCommandSpec();
        command.spec = spec;
        if (sample.options() != null) {
            commandLine.addMixin("options", sample.options());
        }
        if (fixedRole != null) {
            spec.remove(spec.findOption("--role"));
        }
        spec.usageMessage().description(fixedRole == null ? sample.description()
                : "The " + fixedRole + " of '" + sample.name() + "': '" + sample.name() + " --role " + fixedRole + "'.");
        List<String> footer = new ArrayList<>(List.of("", "Roles (one party per process):"));
        sample.roles().forEach(r -> footer.add("  " + r));
        spec.usageMessage().footer(footer.toArray(String[]::new));
        parent.addSubcommand(fixedRole == null ? sample.name() : sample.name() + "-" + fixedRole, commandLine);
    }

    @Override
    public Integer call() throws Exception {
        String played = fixedRole != null ? fixedRole : role;
        if (played == null) {
            if (!args.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "arguments " + args + " belong to a role: add --role");
            }
            Check check = sample.runInProcess(url, Names.unique());
            PrintWriter out = spec.commandLine().getOut();
            out.println(Tour.line(sample.name(), check));
            out.flush();
            return check.passed() ? 0 : 1;
        }
        if (!sample.roleNames().contains(played)) {
            throw new ParameterException(spec.commandLine(), "'" + sample.name() + "' has no role '" + played
                    + "'; its roles: " + String.join(", ", sample.roleNames()));
        }
        if (url.toLowerCase(Locale.ROOT).startsWith("memory:")) {
            throw new ParameterException(spec.commandLine(), "a role runs one party in its own process, and memory://"
                    + " lives inside a single process, so the other party could never reach it: use a real broker,"
                    + " e.g. --url amqp://guest:guest@127.0.0.1:5672/, or run '" + sample.name() + "' without --role"
                    + " to play every party in this process");
        }
        try {
            return sample.runRole(url, played, args);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }
}
