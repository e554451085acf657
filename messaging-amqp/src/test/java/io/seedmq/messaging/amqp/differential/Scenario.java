package io.seedmq.messaging.amqp.differential;

import java.util.List;

/**
 * A generated scenario: the spec each queue is declared with (unless a step overrides it) and the
 * steps, in order. Its {@code toString} is what a failure prints, so it reads as a script.
 *
 * @param queues one spec per queue of the {@link Universe}
 * @param steps what to do, in order
 */
record Scenario(List<QueueSpec> queues, List<Step> steps) {

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < queues.size(); i++) {
            s.append("\n  Q").append(i).append(' ').append(queues.get(i));
        }
        for (int i = 0; i < steps.size(); i++) {
            s.append("\n  ").append(i + 1).append(". ").append(steps.get(i));
        }
        return s.append('\n').toString();
    }
}
