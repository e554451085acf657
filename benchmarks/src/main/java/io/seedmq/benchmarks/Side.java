package io.seedmq.benchmarks;

/** Which half of a scenario pair runs: seedmq, or the hand-written reference doing the same work. */
public enum Side {
    /** seedmq's public API on the transport under test. */
    SEEDMQ,
    /** The raw library (amqp-client, {@code java.util.concurrent}) doing the same work by hand. */
    REFERENCE
}
