package io.seedmq.samples;

import java.util.List;

/**
 * One pattern of the seeds, runnable two ways: in-process against any URL (all parties in one JVM,
 * the outcome checked), and as one party of a multi-process run ({@code --role}) on a real broker.
 */
public interface Sample {

    /** @return the command-line name, such as {@code work-queues} */
    String name();

    /** @return one sentence for the usage: the pattern and the tutorial scripts it translates */
    String description();

    /** @return the names of the roles, such as {@code send} and {@code receive} */
    List<String> roleNames();

    /** @return one usage line per role, for the usage text */
    List<String> roles();

    /**
     * @return an object whose picocli {@code @Option} fields are this sample's own options (a topic,
     *     a pool), read by {@link #runRole}; {@code null} when it has none
     */
    default Object options() {
        return null;
    }

    /**
     * Runs every party of the sample in this process, on the seeds' topology renamed by
     * {@code names}, removes what it declared (durable seed queues are kept, and purged before),
     * and checks what was received.
     *
     * @param url the broker URL
     * @param names the names to use for throw-away exchanges and queues
     * @return the verdict
     * @throws Exception if the broker fails; the tour reports it as a failure
     */
    Check runInProcess(String url, Names names) throws Exception;

    /**
     * Plays one party against a real broker, with the seeds' names. Receivers and servers run
     * until the process is stopped (Ctrl+C), then stop their worker gracefully.
     *
     * @param url the broker URL
     * @param role one of {@link #roleNames()}
     * @param args the role's arguments
     * @return the process exit status
     * @throws IllegalArgumentException when the arguments do not suit the role (a usage error)
     * @throws Exception if the broker fails
     */
    int runRole(String url, String role, List<String> args) throws Exception;
}
