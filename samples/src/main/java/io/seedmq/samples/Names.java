package io.seedmq.samples;

import java.util.UUID;

/**
 * Turns the seeds' fixed names ({@code logs}, {@code topic_logs}, {@code rpc_queue}, ...) into
 * the names one run uses. The tour gives every throw-away exchange and queue a per-run suffix, so
 * leftovers of an earlier run (or a receiver someone left running) on a real broker cannot mix
 * with this one; the role modes use the seeds' names unchanged, so they meet each other and
 * the Python seeds.
 *
 * @param suffix appended to every seed name ("" to keep them)
 */
public record Names(String suffix) {

    /** @return the seeds' names, unchanged */
    public static Names seed() {
        return new Names("");
    }

    /** @return names with a fresh random suffix, such as {@code topic_logs.3f9a1c2e} */
    public static Names unique() {
        return new Names("." + UUID.randomUUID().toString().substring(0, 8));
    }

    /** @return whether these names are this run's own, so the run deletes what it declared under them */
    public boolean throwAway() {
        return !suffix.isEmpty();
    }

    /** @param seedName a name from the seeds @return the name this run uses */
    public String of(String seedName) {
        return seedName + suffix;
    }
}
