package io.seedmq.samples;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Command line of the samples jar:
 * {@code java -jar seedmq-samples.jar <sample> [--url URL] [--role ROLE] [args...]}.
 *
 * <p>Without {@code --role} a sample runs all its parties in this process and checks the outcome;
 * {@code tour} does that for every sample. With {@code --role} the process plays one party
 * against a real broker, with the seeds' names, so several processes (or the Python seeds) can
 * talk to each other. The default URL is {@code memory://}, the embedded broker.
 */
public final class Main {

    /** The URL used when none is given. */
    public static final String DEFAULT_URL = "memory://";

    private static final List<Sample> SAMPLES = List.of(
            new HelloWorld(), new WorkQueues(), new PublishSubscribe(), new Routing(), new Topics(), new Rpc(),
            new OsloRpc(), new Notifications(), new Observability());

    /** Commands that name one role of a sample, as {@code oslo-rpc-server}: command to {sample, role}. */
    private static final Map<String, List<String>> ROLE_COMMANDS = Map.of(
            "oslo-rpc-server", List.of("oslo-rpc", "server"),
            "oslo-rpc-client", List.of("oslo-rpc", "client"),
            "notify-send", List.of("notify", "send"),
            "notify-listener", List.of("notify", "listener"));

    private Main() {
    }

    /**
     * Runs the command line and exits with its status; exits explicitly, because a transport's
     * threads may otherwise keep the JVM alive after a failure.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        int status;
        try {
            status = run(args);
        } catch (Exception e) {
            System.err.println("error: " + e);
            status = 1;
        }
        System.exit(status);
    }

    /**
     * @param args the command line
     * @return the exit status: 0 when everything passed or the role ended normally
     * @throws Exception if a role fails
     */
    static int run(String[] args) throws Exception {
        if (args.length == 0 || List.of("-h", "--help", "help").contains(args[0])) {
            usage();
            return args.length == 0 ? 2 : 0;
        }
        List<String> roleCommand = ROLE_COMMANDS.get(args[0]);
        String command = roleCommand != null ? roleCommand.get(0) : args[0];
        String url = DEFAULT_URL;
        String role = roleCommand != null ? roleCommand.get(1) : null;
        List<String> rest = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--url") || arg.equals("--role")) {
                if (i + 1 == args.length) {
                    System.err.println(arg + " needs a value");
                    return 2;
                }
                String value = args[++i];
                if (arg.equals("--url")) {
                    url = value;
                } else {
                    role = value;
                }
            } else if (arg.startsWith("--url=")) {
                url = arg.substring("--url=".length());
            } else if (arg.startsWith("--role=")) {
                role = arg.substring("--role=".length());
            } else {
                rest.add(arg);
            }
        }
        if (command.equals("tour")) {
            return Tour.run(url, SAMPLES, System.out) ? 0 : 1;
        }
        Sample sample = SAMPLES.stream().filter(s -> s.name().equals(command)).findFirst().orElse(null);
        if (sample == null) {
            System.err.println("unknown sample '" + command + "'");
            usage();
            return 2;
        }
        if (role == null) {
            Check check = sample.runInProcess(url, Names.unique());
            System.out.println(Tour.line(sample.name(), check));
            return check.passed() ? 0 : 1;
        }
        if (url.toLowerCase(Locale.ROOT).startsWith("memory:")) {
            System.err.println("--role runs one party in its own process; memory:// lives inside a single process,"
                    + " so the other party could never reach it.");
            System.err.println("Use a real broker, e.g. --url amqp://guest:guest@127.0.0.1:5672/,"
                    + " or run '" + sample.name() + "' without --role to play every party in one process.");
            return 2;
        }
        return sample.runRole(url, role, rest);
    }

    /** @return every sample, in tour order */
    static List<Sample> samples() {
        return SAMPLES;
    }

    /**
     * @param sample the sample
     * @param role a role it does not have
     * @return the exit status for a usage error
     */
    static int unknownRole(Sample sample, String role) {
        System.err.println("'" + sample.name() + "' has no role '" + role + "'; it has:");
        sample.roles().forEach(r -> System.err.println("  " + r));
        return 2;
    }

    /** @param url a broker URL @return the URL with its password replaced by {@code ***} */
    static String masked(String url) {
        return url.replaceFirst("(//[^:/@]*:)[^@/]*@", "$1***@");
    }

    private static void usage() {
        System.err.println("""
                usage: java -jar seedmq-samples.jar <sample> [--url URL] [--role ROLE] [args...]

                  tour                    run every sample in this process, one PASS/FAIL line each
                  <sample>                run one sample's parties in this process and check the outcome

                samples: hello, work-queues, pubsub, routing, topics, rpc, oslo-rpc, notify, observability
                default URL: memory:// (the embedded broker); RabbitMQ: --url amqp://guest:guest@127.0.0.1:5672/

                One party per process (a real broker only: memory:// lives inside one process).
                Receivers, workers and servers run until Ctrl+C:""");
        SAMPLES.forEach(s -> s.roles().forEach(r -> System.err.println("  " + r)));
    }
}
