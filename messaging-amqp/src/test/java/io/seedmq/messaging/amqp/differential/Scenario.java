package io.seedmq.messaging.amqp.differential;

import java.util.ArrayList;
import java.util.List;

/**
 * A generated scenario: the spec each queue is declared with (unless a step overrides it) and the
 * steps, in order. Its {@code toString} is what a failure prints, so it reads as a script.
 *
 * @param queues one spec per queue of the {@link Universe}
 * @param steps what to do, in order
 */
record Scenario(List<QueueSpec> queues, List<Step> steps) {

    /**
     * The scenario with dead-letter exchanges kept on one queue only (the first that has one
     * which exists or is the default exchange), for RabbitMQ before 4.0. Those versions reverse
     * the older {@code x-death} entries each time a message dies again, although they document
     * the list as most recent first (4.0 records it so): from a message's third distinct death
     * (queue and reason) on, the order of its entries, and the cycle detection that reads them
     * when a rejection is among them, are that version's accident (a message can even circle
     * between two queues for ever). A message dead-lettered from one queue only dies under at
     * most two keys before the cycle detection drops it, where every version agrees.
     */
    Scenario deadLetteringFromOneQueue() {
        Integer keep = null;
        for (int q = 0; q < queues.size() && keep == null; q++) {
            if (deadLetters(queues.get(q))) {
                keep = q;
            }
        }
        for (Step step : steps) {
            if (step instanceof Step.DeclareQueue d && d.override() != null && deadLetters(d.override())
                    && (keep == null || d.queue() < keep)) {
                keep = d.queue();
            }
        }
        List<QueueSpec> specs = new ArrayList<>();
        for (int q = 0; q < queues.size(); q++) {
            specs.add(keep != null && q == keep ? queues.get(q) : withoutDeadLettering(queues.get(q)));
        }
        List<Step> kept = new ArrayList<>();
        for (Step step : steps) {
            if (step instanceof Step.DeclareQueue d && d.override() != null && (keep == null || d.queue() != keep)) {
                kept.add(new Step.DeclareQueue(d.queue(), withoutDeadLettering(d.override()), d.other()));
            } else {
                kept.add(step);
            }
        }
        Scenario s = new Scenario(specs, kept);
        return s.equals(this) ? this : s;
    }

    /** @return whether dead letters of a queue so declared go anywhere */
    private static boolean deadLetters(QueueSpec q) {
        return q.deadLetterExchange() != null && q.deadLetterExchange() != Universe.MISSING_EXCHANGE;
    }

    private static QueueSpec withoutDeadLettering(QueueSpec q) {
        if (!deadLetters(q)) {
            return q;
        }
        return new QueueSpec(q.exclusive(), q.durable(), q.autoDelete(), q.messageTtl(), q.expires(), q.maxLength(),
                q.overflow(), null, null, q.maxPriority(), q.quorum(), q.deliveryLimit());
    }

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
