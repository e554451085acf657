package io.seedmq.messaging.amqp.differential;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Shrinks a scenario on which the brokers disagree to a small one on which they still do, by
 * replaying candidates on both brokers: first the steps after the disagreement go, then chunks of
 * steps of halving size (delta debugging), then queue properties and publish options one at a time
 * (towards plain values), then single steps again.
 *
 * <p>It stands in for jqwik's own shrinking, which also rewrites every step towards the simplest
 * kind of step: on a sequence of broker operations that replays many more candidates (each one a
 * run on RabbitMQ) and leaves filler steps behind. Removing steps is what a reader of the minimal
 * sequence wants. Bounded in time: when the time is up, the smallest scenario found so far is the
 * answer.
 */
final class Shrinker {
    private final Function<Scenario, Divergence> play;
    private final long deadline;
    private int replays;

    /**
     * @param play plays a scenario on both brokers: the first divergence, or {@code null} if they agree
     * @param budgetNanos how long shrinking may take
     */
    Shrinker(Function<Scenario, Divergence> play, long budgetNanos) {
        this.play = play;
        this.deadline = System.nanoTime() + budgetNanos;
    }

    /** A scenario on which the brokers disagree, and how. */
    record Result(Scenario scenario, Divergence divergence, int replays, boolean complete) {
    }

    Result shrink(Scenario scenario, Divergence divergence) {
        Scenario best = truncate(scenario, divergence);
        Divergence found = divergence;
        for (int chunk = Math.max(1, best.steps().size() / 2); chunk >= 1 && !timeUp(); chunk /= 2) {
            Result r = removeChunks(best, found, chunk);
            best = r.scenario();
            found = r.divergence();
        }
        for (int q = 0; q < best.queues().size() && !timeUp(); q++) {
            for (UnaryOperator<QueueSpec> simpler : QUEUE_SIMPLIFICATIONS) {
                Result r = attempt(best, found, withSpec(best, q, simpler.apply(best.queues().get(q))));
                best = r.scenario();
                found = r.divergence();
            }
        }
        for (int i = 0; i < best.steps().size() && !timeUp(); i++) {
            // Each simplification applies to the step as the previous ones left it.
            for (int k = 0; i < best.steps().size() && k < simplifications(best.steps().get(i)).size(); k++) {
                Result r = attempt(best, found, withStep(best, i, simplifications(best.steps().get(i)).get(k)));
                best = r.scenario();
                found = r.divergence();
            }
        }
        boolean changed = true;
        while (changed && !timeUp()) {
            int before = best.steps().size();
            Result r = removeChunks(best, found, 1);
            best = r.scenario();
            found = r.divergence();
            changed = best.steps().size() < before;
        }
        return new Result(best, found, replays, !timeUp());
    }

    private Result removeChunks(Scenario best, Divergence found, int chunk) {
        int start = 0;
        while (start < best.steps().size() && !timeUp()) {
            List<Step> fewer = new ArrayList<>(best.steps().subList(0, start));
            fewer.addAll(best.steps().subList(Math.min(best.steps().size(), start + chunk), best.steps().size()));
            Result r = attempt(best, found, fewer.isEmpty() ? null : new Scenario(best.queues(), fewer));
            if (r.scenario() == best) {
                start += chunk;
            }
            best = r.scenario();
            found = r.divergence();
        }
        return new Result(best, found, replays, true);
    }

    /** @return the candidate (cut after its divergence) if the brokers still disagree on it, else the current best */
    private Result attempt(Scenario best, Divergence found, Scenario candidate) {
        if (candidate == null || candidate.equals(best) || timeUp()) {
            return new Result(best, found, replays, true);
        }
        replays++;
        Divergence d = play.apply(candidate);
        if (d == null) {
            return new Result(best, found, replays, true);
        }
        return new Result(truncate(candidate, d), d, replays, true);
    }

    private boolean timeUp() {
        return System.nanoTime() - deadline > 0;
    }

    private static Scenario truncate(Scenario s, Divergence d) {
        return d.step() >= s.steps().size() ? s : new Scenario(s.queues(), List.copyOf(s.steps().subList(0, d.step())));
    }

    private static Scenario withSpec(Scenario s, int queue, QueueSpec spec) {
        List<QueueSpec> specs = new ArrayList<>(s.queues());
        specs.set(queue, spec);
        return new Scenario(specs, s.steps());
    }

    private static Scenario withStep(Scenario s, int index, Step step) {
        List<Step> steps = new ArrayList<>(s.steps());
        steps.set(index, step);
        return new Scenario(s.queues(), steps);
    }

    /** One property at a time back to its plain value; a queue that is not exclusive stays durable and expiring (RabbitMQ 4.3). */
    private static final List<UnaryOperator<QueueSpec>> QUEUE_SIMPLIFICATIONS = List.of(
            q -> new QueueSpec(q.exclusive(), q.durable(), false, q.messageTtl(), q.expires(), q.maxLength(),
                    q.overflow(), q.deadLetterExchange(), q.deadLetterRoutingKey(), q.maxPriority(),
                    q.quorum(), q.deliveryLimit()),
            q -> new QueueSpec(q.exclusive(), q.durable(), q.autoDelete(), null, q.expires(), q.maxLength(),
                    q.overflow(), q.deadLetterExchange(), q.deadLetterRoutingKey(), q.maxPriority(),
                    q.quorum(), q.deliveryLimit()),
            q -> q.exclusive() ? new QueueSpec(true, false, q.autoDelete(), q.messageTtl(), null, q.maxLength(),
                    q.overflow(), q.deadLetterExchange(), q.deadLetterRoutingKey(), q.maxPriority(),
                    q.quorum(), q.deliveryLimit()) : q,
            q -> new QueueSpec(q.exclusive(), q.durable(), q.autoDelete(), q.messageTtl(), q.expires(), null,
                    q.overflow(), q.deadLetterExchange(), q.deadLetterRoutingKey(), q.maxPriority(),
                    q.quorum(), q.deliveryLimit()),
            q -> new QueueSpec(q.exclusive(), q.durable(), q.autoDelete(), q.messageTtl(), q.expires(), q.maxLength(),
                    null, q.deadLetterExchange(), q.deadLetterRoutingKey(), q.maxPriority(),
                    q.quorum(), q.deliveryLimit()),
            q -> new QueueSpec(q.exclusive(), q.durable(), q.autoDelete(), q.messageTtl(), q.expires(), q.maxLength(),
                    q.overflow(), null, q.deadLetterRoutingKey(), q.maxPriority(),
                    q.quorum(), q.deliveryLimit()),
            q -> new QueueSpec(q.exclusive(), q.durable(), q.autoDelete(), q.messageTtl(), q.expires(), q.maxLength(),
                    q.overflow(), q.deadLetterExchange(), null, q.maxPriority(), q.quorum(), q.deliveryLimit()),
            q -> new QueueSpec(q.exclusive(), q.durable(), q.autoDelete(), q.messageTtl(), q.expires(), q.maxLength(),
                    q.overflow(), q.deadLetterExchange(), q.deadLetterRoutingKey(), null, q.quorum(), q.deliveryLimit()),
            q -> new QueueSpec(q.exclusive(), q.durable(), q.autoDelete(), q.messageTtl(), q.expires(), q.maxLength(),
                    q.overflow(), q.deadLetterExchange(), q.deadLetterRoutingKey(), q.maxPriority(), q.quorum(), null),
            q -> new QueueSpec(q.exclusive(), q.durable(), q.autoDelete(), q.messageTtl(), q.expires(), q.maxLength(),
                    q.overflow(), q.deadLetterExchange(), q.deadLetterRoutingKey(), q.maxPriority(), false, null));

    /** Plainer versions of a step: without its override, its options, one at a time. */
    private static List<Step> simplifications(Step step) {
        List<Step> out = new ArrayList<>();
        if (step instanceof Step.DeclareQueue d && d.override() != null) {
            out.add(new Step.DeclareQueue(d.queue(), null, d.other()));
            for (UnaryOperator<QueueSpec> simpler : QUEUE_SIMPLIFICATIONS) {
                out.add(new Step.DeclareQueue(d.queue(), simpler.apply(d.override()), d.other()));
            }
        } else if (step instanceof Step.Publish p) {
            out.add(new Step.Publish(p.exchange(), p.key(), null, p.expiration(), p.mandatory(), p.headers()));
            out.add(new Step.Publish(p.exchange(), p.key(), p.priority(), null, p.mandatory(), p.headers()));
            out.add(new Step.Publish(p.exchange(), p.key(), p.priority(), p.expiration(), false, p.headers()));
            out.add(new Step.Publish(p.exchange(), p.key(), p.priority(), p.expiration(), p.mandatory(), 0));
        }
        return out;
    }
}
