package io.seedmq.benchmarks;

/**
 * Which side of a scenario runs: seedmq, the hand-written reference doing the same work, or, where
 * a scenario has one, Spring AMQP doing it as a Spring user would.
 */
public enum Side {
    /** seedmq's public API on the transport under test. */
    SEEDMQ,
    /** The raw library (amqp-client, {@code java.util.concurrent}) doing the same work by hand. */
    REFERENCE,
    /** Spring AMQP (spring-rabbit): its templates and listener containers on a {@code CachingConnectionFactory}. */
    SPRING
}
