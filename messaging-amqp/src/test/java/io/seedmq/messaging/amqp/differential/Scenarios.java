package io.seedmq.messaging.amqp.differential;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;

/**
 * Generates {@link Scenario}s. The weights favour what makes queues interesting (declares,
 * bindings, publishes, gets and settlements) over what empties them; every alternative shrinks
 * towards its first, simplest value (no override, no expiration, the first key, ...).
 */
final class Scenarios {
    /** Long enough to build up state, short enough that a sequence runs in a fraction of a second. */
    static final int MAX_STEPS = 40;
    /** A time-to-live no scenario outlives: such a message never expires during the test. */
    static final long LONG_TTL = 600_000;

    private Scenarios() {
    }

    static Arbitrary<Scenario> scenarios() {
        return Combinators.combine(queueSpecs().list().ofSize(Universe.QUEUES), upFront(),
                        steps().list().ofMinSize(1).ofMaxSize(MAX_STEPS)
                                .withSizeDistribution(RandomDistribution.uniform()))
                .as((specs, first, then) -> {
                    List<Step> steps = new ArrayList<>(first);
                    steps.addAll(then);
                    return new Scenario(specs, steps);
                });
    }

    /**
     * Steps most scenarios start with, so that the random steps find queues and exchanges to work
     * on and messages that route somewhere: each queue declared (with its spec) and bound to some
     * exchange, and each exchange declared, usually. Each one shrinks away when a failure does not
     * need it.
     */
    private static Arbitrary<List<Step>> upFront() {
        List<Arbitrary<Optional<Step>>> steps = new ArrayList<>();
        for (int x = 0; x < Universe.EXCHANGES; x++) {
            steps.add(usually(Arbitraries.just(new Step.DeclareExchange(x, false))));
        }
        for (int q = 0; q < Universe.QUEUES; q++) {
            steps.add(usually(Arbitraries.just(new Step.DeclareQueue(q, null, false))));
        }
        for (int q = 0; q < Universe.QUEUES; q++) {
            int queue = q;
            steps.add(usually(Combinators.combine(Arbitraries.integers().between(0, Universe.EXCHANGES - 1),
                    Arbitraries.integers().between(0, Universe.BINDING_KEYS.size() - 1))
                    .as((x, key) -> new Step.Bind(queue, x, key))));
        }
        return Combinators.combine(steps).as(all -> all.stream().flatMap(Optional::stream).toList());
    }

    private static Arbitrary<Optional<Step>> usually(Arbitrary<? extends Step> step) {
        return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(Optional.<Step>empty())),
                Tuple.of(9, step.map(Optional::<Step>of)));
    }

    static Arbitrary<QueueSpec> queueSpecs() {
        Arbitrary<Boolean> exclusive = Arbitraries.of(true, false);
        Arbitrary<Boolean> flag = Arbitraries.of(false, true);
        // 0 expires at once; LONG_TTL never does while the test runs. Anything between would race the clock.
        Arbitrary<Long> ttl = Arbitraries.of(0L, LONG_TTL).injectNull(0.8);
        Arbitrary<Long> expires = Arbitraries.of(LONG_TTL, 2 * LONG_TTL).injectNull(0.5);
        Arbitrary<Long> maxLength = Arbitraries.of(0L, 1L, 2L, 3L).injectNull(0.5);
        Arbitrary<String> overflow = Arbitraries.of("drop-head", "reject-publish", "reject-publish-dlx").injectNull(0.4);
        Arbitrary<Integer> dlx = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(Universe.DEFAULT_EXCHANGE)),
                Tuple.of(4, Arbitraries.integers().between(0, Universe.EXCHANGES - 1)),
                Tuple.of(1, Arbitraries.just(Universe.MISSING_EXCHANGE))).injectNull(0.4);
        Arbitrary<Integer> dlrk = Arbitraries.integers().between(0, Universe.ROUTING_KEYS.size() - 1).injectNull(0.65);
        Arbitrary<Integer> maxPriority = Arbitraries.of(1, 3).injectNull(0.7);
        Arbitrary<Flags> flags = Combinators.combine(exclusive, flag, flag, ttl, expires).as(Flags::new);
        // A dead-letter routing key without a dead-letter exchange is refused: now and then, on purpose.
        Arbitrary<Boolean> orphanKey = Arbitraries.frequencyOf(Tuple.of(9, Arbitraries.just(false)),
                Tuple.of(1, Arbitraries.just(true)));
        // One queue in four is a quorum queue: -1 without a delivery limit, else that limit.
        Arbitrary<Integer> quorum = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just((Integer) null)),
                Tuple.of(1, Arbitraries.of(-1, 0, 1, 2)));
        Arbitrary<Limits> limits = Combinators.combine(maxLength, overflow, dlx, dlrk, maxPriority, orphanKey, quorum)
                .as(Limits::new);
        return Combinators.combine(flags, limits).as(Scenarios::spec);
    }

    private record Flags(boolean exclusive, boolean durable, boolean autoDelete, Long ttl, Long expires) {
    }

    private record Limits(Long maxLength, String overflow, Integer dlx, Integer dlrk, Integer maxPriority,
                          boolean orphanKey, Integer quorum) {
    }

    /**
     * RabbitMQ 4.3's rule: a queue that is not exclusive is durable (and expires, as a safety net
     * here). A dead-letter routing key comes with a dead-letter exchange unless meant to be refused.
     */
    private static QueueSpec spec(Flags f, Limits l) {
        boolean durable = f.exclusive() ? f.durable() : true;
        Long expires = f.exclusive() || f.expires() != null ? f.expires() : Long.valueOf(LONG_TTL);
        Integer dlrk = l.dlx() != null || l.orphanKey() ? l.dlrk() : null;
        if (l.quorum() != null) {
            // Shared and durable, as a quorum queue must be; its refusal of a priority is compared.
            // Its TTL and length limits are left out (see the test's class comment).
            return new QueueSpec(false, true, false, null, Long.valueOf(LONG_TTL), null, null, l.dlx(), dlrk,
                    l.maxPriority(), true, l.quorum() < 0 ? null : l.quorum());
        }
        return new QueueSpec(f.exclusive(), durable, f.autoDelete(), f.ttl(), expires, l.maxLength(), l.overflow(),
                l.dlx(), dlrk, l.maxPriority(), false, null);
    }

    static Arbitrary<Step> steps() {
        Arbitrary<Integer> queue = queues();
        Arbitrary<Integer> exchange = Arbitraries.integers().between(0, Universe.EXCHANGES - 1);
        Arbitrary<Boolean> flag = Arbitraries.of(false, true);
        Arbitrary<Boolean> rarely = Arbitraries.frequencyOf(Tuple.of(9, Arbitraries.just(false)),
                Tuple.of(1, Arbitraries.just(true)));
        Arbitrary<Boolean> mostly = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(false)),
                Tuple.of(7, Arbitraries.just(true)));
        Arbitrary<Integer> bindingKey = Arbitraries.integers().between(0, Universe.BINDING_KEYS.size() - 1);
        // Requeues are where a queue's order is at stake: as many as acks and rejects together.
        Arbitrary<Step.Settlement> settlement = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(Step.Settlement.ACK)), Tuple.of(1, Arbitraries.just(Step.Settlement.REJECT)),
                Tuple.of(2, Arbitraries.just(Step.Settlement.REQUEUE)));
        return Arbitraries.frequencyOf(
                Tuple.of(4, step(Combinators.combine(queue, queueSpecs().injectNull(0.85), rarely)
                        .as(Step.DeclareQueue::new))),
                Tuple.of(1, step(Combinators.combine(queue, rarely, rarely, rarely).as(Step.DeleteQueue::new))),
                Tuple.of(1, step(Combinators.combine(queue, rarely).as(Step.PurgeQueue::new))),
                Tuple.of(1, step(Combinators.combine(queue, rarely).as(Step.CheckQueue::new))),
                Tuple.of(1, step(Combinators.combine(exchange, rarely).as(Step.DeclareExchange::new))),
                Tuple.of(1, step(Combinators.combine(exchange, flag).as(Step.DeleteExchange::new))),
                Tuple.of(5, step(Combinators.combine(queue, exchange, bindingKey).as(Step.Bind::new))),
                Tuple.of(1, step(Combinators.combine(queue, exchange, bindingKey).as(Step.Unbind::new))),
                Tuple.of(36, publishes()),
                Tuple.of(36, step(Combinators.combine(queue, mostly, rarely).as(Step.Get::new))),
                Tuple.of(24, step(Combinators.combine(Arbitraries.integers().between(0, 7), settlement)
                        .as(Step.Settle::new))),
                Tuple.of(1, step(Arbitraries.just(new Step.Reconnect()))));
    }

    /**
     * A queue index, the lower ones more often (5:3:1:1), so that publishes, gets and settlements
     * meet on the same queues often enough to build up state there.
     */
    private static Arbitrary<Integer> queues() {
        return Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.just(0)), Tuple.of(3, Arbitraries.just(1)),
                Tuple.of(1, Arbitraries.just(2)), Tuple.of(1, Arbitraries.just(3)));
    }

    private static Arbitrary<Step> publishes() {
        Arbitrary<Integer> exchange = Arbitraries.integers().between(0, Universe.EXCHANGES - 1);
        Arbitrary<Integer> anyKey = Arbitraries.integers().between(0, Universe.ROUTING_KEYS.size() - 1);
        // Through the default exchange a message goes to the queue its key names: mostly one of ours.
        Arbitrary<Integer> queueKey = Arbitraries.frequencyOf(
                Tuple.of(9, queues().map(q -> Universe.FIRST_QUEUE_KEY + q)),
                Tuple.of(1, anyKey));
        Arbitrary<Integer> priority = Arbitraries.integers().between(0, 4).injectNull(0.6);
        Arbitrary<Long> expiration = Arbitraries.of(0L, LONG_TTL).injectNull(0.85);
        Arbitrary<Boolean> mandatory = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(false)),
                Tuple.of(1, Arbitraries.just(true)));
        Arbitrary<Integer> headers = Arbitraries.integers().between(0, Universe.PUBLISH_HEADERS.size() - 1);
        Arbitrary<Step> toExchange = step(Combinators.combine(exchange, anyKey, priority, expiration, mandatory, headers)
                .as(Step.Publish::new));
        Arbitrary<Step> toQueue = step(Combinators.combine(queueKey, priority, expiration, mandatory, headers)
                .as((key, p, e, m, h) -> new Step.Publish(Universe.EXCHANGES, key, p, e, m, h)));
        return Arbitraries.frequencyOf(Tuple.of(1, toExchange), Tuple.of(2, toQueue));
    }

    /** Widens a generator of one kind of step, for {@link Arbitraries#frequencyOf}. */
    private static Arbitrary<Step> step(Arbitrary<? extends Step> steps) {
        return steps.map(Step.class::cast);
    }
}
