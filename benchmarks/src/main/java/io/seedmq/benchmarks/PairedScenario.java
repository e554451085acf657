package io.seedmq.benchmarks;

import io.seedmq.messaging.inmemory.InMemoryBroker;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the scenarios share: their description, and a fresh place to run in each time, a unique
 * name on the shared RabbitMQ or a fresh embedded broker (deleted afterwards) on {@code memory://}.
 */
abstract class PairedScenario implements Scenario {

    /** Runs one side with a unique name on the transport's URL. */
    @FunctionalInterface
    interface InPlace {
        Map<String, Double> run(String url, String name) throws Exception;
    }

    private final String id;
    private final String title;
    private final String reference;
    private final boolean inMemory;
    private final List<Metric> metrics;
    private final List<Side> sides;

    /** @param withSpring whether Spring AMQP runs as a third side */
    PairedScenario(String id, String title, String reference, boolean inMemory, List<Metric> metrics,
                   boolean withSpring) {
        this.id = id;
        this.title = title;
        this.reference = reference;
        this.inMemory = inMemory;
        this.metrics = List.copyOf(metrics);
        this.sides = withSpring ? List.of(Side.SEEDMQ, Side.REFERENCE, Side.SPRING) : List.of(Side.SEEDMQ, Side.REFERENCE);
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final String title() {
        return title;
    }

    @Override
    public final String reference() {
        return reference;
    }

    @Override
    public final boolean needsBroker() {
        return !inMemory;
    }

    @Override
    public final List<Metric> metrics() {
        return metrics;
    }

    @Override
    public final List<Side> sides() {
        return sides;
    }

    /**
     * @return the factory of {@code side}
     * @throws IllegalArgumentException if this scenario does not run that side
     */
    final <F> F pick(Side side, F seedmq, F reference, F spring) {
        F chosen = switch (side) {
            case SEEDMQ -> seedmq;
            case REFERENCE -> reference;
            case SPRING -> spring;
        };
        if (chosen == null) {
            throw new IllegalArgumentException("scenario " + id + " has no " + side + " side");
        }
        return chosen;
    }

    /** Runs {@code body} with a unique name, on its own embedded broker when in memory. */
    final Map<String, Double> inFreshPlace(Settings settings, String kind, InPlace body) throws Exception {
        String unique = UUID.randomUUID().toString().substring(0, 8);
        String broker = "bench-" + unique;
        try {
            return body.run(inMemory ? "memory://" + broker : settings.amqpUrl(), "seedmq-bench-" + kind + id + "-" + unique);
        } finally {
            if (inMemory) {
                InMemoryBroker.named(broker).delete();
            }
        }
    }
}
