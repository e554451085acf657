package io.seedmq.benchmarks;

import java.util.List;
import java.util.Map;

/**
 * Programs doing the same work, one on seedmq, one on the raw library underneath and, for some
 * AMQP scenarios, one on Spring AMQP, measured by the {@link Runner} in alternation. An implementation sets up and tears down
 * everything it uses within one {@link #run} (unique queue names, its own connections), so runs
 * are independent of each other and of other users of a shared broker.
 */
public interface Scenario {

    /** @return a short key for the command line, for example {@code "1"} or {@code "6a"} */
    String id();

    /** @return what the scenario does, in a few words */
    String title();

    /** @return what the reference is, in a few words */
    String reference();

    /** @return whether it needs the RabbitMQ at {@link Settings#amqpUrl()} */
    boolean needsBroker();

    /** @return the figures each run reports, in table order */
    List<Metric> metrics();

    /**
     * @return the sides it runs, in the order each run alternates them: seedmq first, then the
     *     reference, then Spring AMQP where the scenario has a Spring side
     */
    default List<Side> sides() {
        return List.of(Side.SEEDMQ, Side.REFERENCE);
    }

    /**
     * @return whether it moves one call or one message at a time (a few hundred to a few thousand a
     *     second): too few for the JIT to have compiled its code paths within the usual warm-up, so
     *     the runner warms each side up longer
     */
    default boolean oneAtATime() {
        return false;
    }

    /**
     * Runs one side once and measures it. Blocks for about the settings' warm-up plus measurement.
     *
     * @param side one of {@link #sides()}
     * @param settings durations and where the broker is
     * @return a value for each of {@link #metrics()}, by metric name
     * @throws Exception when the side fails; the runner reports the scenario as failed
     */
    Map<String, Double> run(Side side, Settings settings) throws Exception;
}
