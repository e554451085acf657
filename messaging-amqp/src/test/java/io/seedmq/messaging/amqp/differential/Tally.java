package io.seedmq.messaging.amqp.differential;

import java.util.Map;
import java.util.TreeMap;

/**
 * Counts what the scenarios of one property did, by kind of outcome, so the test output shows
 * that the generated scenarios exercise what they should (messages got back, requeued,
 * dead-lettered) and not only errors. Not thread-safe: properties run one at a time.
 */
final class Tally {
    private final Map<String, Integer> counts = new TreeMap<>();
    private int scenarios;
    private int steps;

    void scenario(int stepCount) {
        scenarios++;
        steps += stepCount;
    }

    /** Counts one agreed outcome of a step. */
    void outcome(String outcome) {
        if (outcome.startsWith("!")) {
            add("refused");
        } else if (outcome.startsWith("published")) {
            add("published");
        } else if (outcome.matches("m\\d+ .*")) {
            add("got");
            if (outcome.contains(" redelivered")) {
                add("got redelivered");
            }
            if (outcome.contains("x-death")) {
                add("got dead-lettered");
            }
        } else if (outcome.matches("ack m\\d+")) {
            add("acked");
        } else if (outcome.matches("reject m\\d+")) {
            add("rejected");
        } else if (outcome.matches("requeue m\\d+")) {
            add("requeued");
        } else if (outcome.matches("purged [1-9].*")) {
            add("purged some");
        }
    }

    private void add(String kind) {
        counts.merge(kind, 1, Integer::sum);
    }

    @Override
    public String toString() {
        return scenarios + " scenarios, " + steps + " steps, " + counts;
    }
}
