package io.seedmq.samples;

import java.util.List;

/**
 * One pattern of the seeds, runnable two ways: in-process against any URL (all parties in one JVM,
 * the outcome checked), and as one party of a multi-process run ({@code --role}) on a real broker.
 */
public interface Sample {

    /** @return the command-line name, such as {@code work-queues} */
    String name();

    /** @return the {@code --role} forms this sample accepts, one per line, for the usage text */
    List<String> roles();

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
     * @param role the party
     * @param args the role's arguments
     * @return the process exit status
     * @throws Exception if the broker fails
     */
    int runRole(String url, String role, List<String> args) throws Exception;
}
