package io.seedmq.messaging.amqp.differential;

import io.seedmq.messaging.Connection;
import io.seedmq.messaging.ConnectionOptions;
import io.seedmq.messaging.test.SeedmqExtension;
import io.seedmq.messaging.inmemory.InMemoryBroker;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import net.jqwik.api.AfterFailureMode;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/**
 * The differential test: random scenarios of declarations, bindings, publishes, gets,
 * settlements, purges, deletions, passive checks and reconnections, each step applied to
 * {@code memory://} and to RabbitMQ, every observable outcome compared. RabbitMQ is the referee:
 * any difference is a bug of the in-memory broker (or, rarely, of a transport). jqwik generates
 * the scenarios from seeds; on a difference the {@link Shrinker} replays smaller and plainer
 * scenarios until it has the smallest one that still differs, and the failure prints it with the
 * seed and what each broker did.
 *
 * <p><b>Seeds.</b> A few fixed seeds run every time, so the build is reproducible, and one random
 * seed per run explores further; every seed is printed to the test output. Replay one with
 * {@code -Dseedmq.differential.seed=<seed>}, which the random-seed property then uses (see
 * docs/differential-testing.md); make a run longer with {@code -Dseedmq.differential.tries=<n>}; print every
 * scenario as played with {@code -Dseedmq.differential.verbose=true}. A failure is replayed from
 * its seed, never from jqwik's database of past failures (whence
 * {@code AfterFailureMode.RANDOM_SEED}).
 *
 * <p><b>What is compared.</b> For each step: its outcome (exception type; or, for a get, the
 * payload, redelivered flag, exchange, routing key, priority, expiration and {@code x-death}
 * history; purge and delete counts; declare counts). After each step: the ready count (or the
 * refusal) of every queue a step named; after each step that can remove an exchange (deletions,
 * unbinding, reconnection) and after the last, whether each exchange a step named exists.
 *
 * <p><b>What is left out, and why</b> (only what RabbitMQ leaves unspecified or makes a matter of
 * timing, never what is merely inconvenient):
 * <ul>
 *   <li>Consumers: RabbitMQ pushes deliveries asynchronously, so which of a consumer and a get takes
 *       a message, and how many a prefetch holds at a given moment, is timing. Consuming is the
 *       conformance kit's. Auto-delete queues are therefore only compared in declarations.</li>
 *   <li>Times to live other than 0 (expires at once) and ten minutes (never, while the test runs),
 *       and queue expiry other than that: when a timer fires relative to the next operation is not
 *       specified to the millisecond.</li>
 *   <li>Server-named queues, delivery tags and consumer tags: their values are random.</li>
 *   <li>The {@code time} of {@code x-death} entries (clocks), and the {@code x-last-death-*}
 *       headers: RabbitMQ added them in 3.13, the local 3.10 does not set them.</li>
 *   <li>Persistence across a restart and streams: not what the in-memory broker emulates (its
 *       durability is stated as absent), or what a get can read (a stream refuses gets). Quorum
 *       queues are compared (delivery counts and limits, where returns go, refusals) without
 *       message TTL, max-length and overflow, whose quorum semantics are not emulated apart from
 *       the classic ones; the conformance kit covers the rest of both types.</li>
 *   <li>On RabbitMQ before 4.0, dead-lettering from more than one queue per scenario: those
 *       versions reverse the older {@code x-death} entries at every death, against their own
 *       documentation (most recent first, as 4.0 records them and the in-memory broker does), so
 *       from a message's third distinct death on, the order of its entries and the cycle detection
 *       are accidents of the version. See {@link Scenario#deadLetteringFromOneQueue()}.</li>
 *   <li>Transient non-exclusive queues: RabbitMQ 4.3 refuses them by default, so every queue here is
 *       exclusive (to the test's own connection) or durable with {@code x-expires}, which also removes
 *       what a crashed run would leave on the shared broker.</li>
 * </ul>
 *
 * <p><b>Asynchrony.</b> Acknowledgements, rejections and dead-lettering have no reply on RabbitMQ,
 * and exclusive queues go after their connection closes, so after each step the RabbitMQ side is
 * inspected until it agrees with the in-memory broker (at most {@link #SETTLE_TIMEOUT}) before the
 * next step; only a disagreement that outlasts that bound is one. The in-memory broker is
 * synchronous: it is inspected once.
 */
@AddLifecycleHook(InMemoryDifferentialTest.NeedsRabbitMq.class)
@AddLifecycleHook(value = InMemoryDifferentialTest.Seeds.class, propagateTo = PropagationMode.DIRECT_DESCENDANTS)
class InMemoryDifferentialTest {

    /** How long RabbitMQ may take to agree after a step. */
    static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(3);
    /** How long shrinking a failing scenario may take. */
    static final Duration SHRINK_BUDGET = Duration.ofMinutes(3);
    static final String SEED_PROPERTY = "seedmq.differential.seed";
    static final String TRIES_PROPERTY = "seedmq.differential.tries";
    static final String VERBOSE_PROPERTY = "seedmq.differential.verbose";
    /** Scenarios per property: four properties take about a minute together. */
    private static final int TRIES = 60;

    private static Connection cleaner;

    @Property(tries = TRIES, seed = "1300000000000000001", edgeCases = EdgeCasesMode.NONE,
            shrinking = ShrinkingMode.OFF, afterFailure = AfterFailureMode.RANDOM_SEED)
    void memoryAgreesWithRabbitMqOnFixedSeedOne(@ForAll("scenarios") Scenario scenario) {
        compare(scenario);
    }

    @Property(tries = TRIES, seed = "1300000000000000002", edgeCases = EdgeCasesMode.NONE,
            shrinking = ShrinkingMode.OFF, afterFailure = AfterFailureMode.RANDOM_SEED)
    void memoryAgreesWithRabbitMqOnFixedSeedTwo(@ForAll("scenarios") Scenario scenario) {
        compare(scenario);
    }

    @Property(tries = TRIES, seed = "1300000000000000003", edgeCases = EdgeCasesMode.NONE,
            shrinking = ShrinkingMode.OFF, afterFailure = AfterFailureMode.RANDOM_SEED)
    void memoryAgreesWithRabbitMqOnFixedSeedThree(@ForAll("scenarios") Scenario scenario) {
        compare(scenario);
    }

    /** Seeded by {@link Seeds}: {@code -Dseedmq.differential.seed}, else a fresh random seed, printed. */
    @Property(tries = TRIES, edgeCases = EdgeCasesMode.NONE, shrinking = ShrinkingMode.OFF,
            afterFailure = AfterFailureMode.RANDOM_SEED)
    void memoryAgreesWithRabbitMqOnThisRunsRandomSeed(@ForAll("scenarios") Scenario scenario) {
        compare(scenario);
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        return Scenarios.scenarios();
    }

    @AfterContainer
    static void closeCleaner() {
        if (cleaner != null) {
            cleaner.close();
            cleaner = null;
        }
    }

    /** Plays the scenario on both brokers; on a disagreement, shrinks it and fails with the smallest one found. */
    private void compare(Scenario generated) {
        ConnectionOptions rabbit = SeedmqExtension.rabbitMqOptions().orElseThrow(() -> new AssertionError(
                "SEEDMQ_REQUIRE_BROKER=true but " + SeedmqExtension.rabbitMqUnavailableReason()));
        Scenario scenario = BrokerVersion.major(rabbit) >= 4 ? generated : generated.deadLetteringFromOneQueue();
        Divergence divergence = play(scenario, Seeds.tally);
        if (divergence == null) {
            return;
        }
        Shrinker.Result smallest = new Shrinker(s -> play(s, new Tally()), SHRINK_BUDGET.toNanos())
                .shrink(scenario, divergence);
        throw new AssertionError(report(scenario, smallest));
    }

    /** @return where the brokers first disagree on the scenario, or {@code null} if they agree throughout */
    private Divergence play(Scenario scenario, Tally tally) {
        ConnectionOptions rabbit = SeedmqExtension.rabbitMqOptions().orElseThrow(() -> new AssertionError(
                "SEEDMQ_REQUIRE_BROKER=true but " + SeedmqExtension.rabbitMqUnavailableReason()));
        String run = "seedmq-diff-" + UUID.randomUUID().toString().substring(0, 8);
        Universe universe = new Universe(run);
        String memoryName = "differential-" + run;
        List<String> trace = new ArrayList<>();
        try (BrokerRun memory = new BrokerRun(ConnectionOptions.fromUrl("memory://" + memoryName), universe, scenario);
             BrokerRun rabbitmq = new BrokerRun(rabbit.toBuilder().connectionName("seedmq-differential").build(),
                     universe, scenario)) {
            for (int i = 0; i < scenario.steps().size(); i++) {
                Step step = scenario.steps().get(i);
                String expected = rabbitmq.apply(step);
                String actual = memory.apply(step);
                if (!expected.equals(actual)) {
                    return new Divergence(i + 1, "outcome", expected, actual, trace);
                }
                boolean exchanges = BrokerRun.mayRemoveExchanges(step) || i == scenario.steps().size() - 1;
                String memoryHolds = memory.observe(exchanges);
                String rabbitHolds = awaitAgreement(rabbitmq, memoryHolds, exchanges);
                if (!rabbitHolds.equals(memoryHolds)) {
                    return new Divergence(i + 1, "state after it", rabbitHolds, memoryHolds, trace);
                }
                trace.add((i + 1) + ". " + step + " -> " + actual + " | " + memoryHolds);
                tally.outcome(actual);
            }
            tally.scenario(scenario.steps().size());
            if (Boolean.getBoolean(VERBOSE_PROPERTY)) {
                System.out.println("scenario" + scenario + "played:\n  " + String.join("\n  ", trace));
            }
            return null;
        } finally {
            InMemoryBroker.named(memoryName).delete();
            deleteEverything(rabbit, universe);
        }
    }

    /** Inspects RabbitMQ until it agrees with the in-memory broker or {@link #SETTLE_TIMEOUT} passes. */
    private static String awaitAgreement(BrokerRun rabbitmq, String expected, boolean exchanges) {
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        String seen = rabbitmq.observe(exchanges);
        while (!seen.equals(expected) && System.nanoTime() - deadline < 0) {
            // Polling interval of a broker inspection, not synchronisation of message flow.
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            seen = rabbitmq.observe(exchanges);
        }
        return seen;
    }

    private static String report(Scenario original, Shrinker.Result smallest) {
        Divergence d = smallest.divergence();
        Scenario minimal = smallest.scenario();
        StringBuilder s = new StringBuilder("memory:// and RabbitMQ disagree (seed ").append(Seeds.current)
                .append("; replay with -D").append(SEED_PROPERTY).append('=').append(Seeds.current).append(")\n")
                .append("smallest scenario found (").append(minimal.steps().size()).append(" of ")
                .append(original.steps().size()).append(" steps, ").append(smallest.replays()).append(" replays")
                .append(smallest.complete() ? "" : ", shrinking stopped at its time bound").append("):")
                .append(minimal).append("they disagree on the ").append(d.what()).append(" of step ").append(d.step())
                .append(":\n  ").append(d.step()).append(". ").append(minimal.steps().get(d.step() - 1))
                .append("\n    RabbitMQ: ").append(d.rabbit()).append("\n    memory:   ").append(d.memory())
                .append("\nsteps before it (outcome | state after):");
        for (String t : d.trace()) {
            s.append("\n  ").append(t);
        }
        if (d.trace().isEmpty()) {
            s.append(" none");
        }
        return s.toString();
    }

    /** Deletes what the scenario may have declared on RabbitMQ; exclusive queues went with their connection. */
    private static synchronized void deleteEverything(ConnectionOptions rabbit, Universe universe) {
        if (cleaner == null || !cleaner.isOpen()) {
            cleaner = Connection.open(rabbit.toBuilder().connectionName("seedmq-differential-cleanup").build());
        }
        for (int q = 0; q < Universe.QUEUES; q++) {
            quietly(universe.queue(q), cleaner::deleteQueue);
        }
        for (int x = 0; x < Universe.EXCHANGES; x++) {
            quietly(universe.exchange(x), name -> cleaner.deleteExchange(name, false));
        }
    }

    private static void quietly(String name, java.util.function.Consumer<String> delete) {
        try {
            delete.accept(name);
        } catch (RuntimeException e) {
            // An exclusive queue of a connection still closing: it goes with the connection.
        }
    }

    /**
     * Skips the properties, with the reason, when there is no RabbitMQ to compare with, unless
     * {@code SEEDMQ_REQUIRE_BROKER=true}: then they run and fail saying why.
     */
    public static final class NeedsRabbitMq implements SkipExecutionHook {
        /** For jqwik. */
        public NeedsRabbitMq() {
        }

        @Override
        public SkipResult shouldBeSkipped(LifecycleContext context) {
            if (SeedmqExtension.rabbitMqOptions().isPresent() || SeedmqExtension.brokerRequired()) {
                return SkipResult.doNotSkip();
            }
            return SkipResult.skip(SeedmqExtension.rabbitMqUnavailableReason());
        }
    }

    /**
     * Gives the property without a fixed seed the seed of {@code -Dseedmq.differential.seed}, or a
     * fresh random one, and the tries of {@code -Dseedmq.differential.tries}; prints every
     * property's seed to the test output, so any run can be replayed.
     */
    public static final class Seeds implements AroundPropertyHook {
        /** The seed of the property running now, for failure messages (properties run one at a time). */
        static volatile String current = "?";
        /** What the scenarios of the property running now did. */
        static volatile Tally tally = new Tally();

        /** For jqwik. */
        public Seeds() {
        }

        @Override
        public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
            String seed = context.attributes().seed().filter(s -> !s.isEmpty()).orElse(null);
            if (seed == null) {
                String given = System.getProperty(SEED_PROPERTY, "").trim();
                seed = given.isEmpty() ? Long.toString(new SecureRandom().nextLong()) : given;
                context.attributes().setSeed(seed);
                String tries = System.getProperty(TRIES_PROPERTY, "").trim();
                if (!tries.isEmpty()) {
                    context.attributes().setTries(Integer.parseInt(tries));
                }
            }
            current = seed;
            tally = new Tally();
            System.out.println("differential test " + context.label() + ": seed " + seed
                    + " (replay with -D" + SEED_PROPERTY + "=" + seed + ")");
            PropertyExecutionResult result = property.execute();
            System.out.println("differential test " + context.label() + ": " + tally);
            return result;
        }
    }
}
