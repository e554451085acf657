package io.seedmq.benchmarks;

import java.time.Duration;

/**
 * How long and where a run measures.
 *
 * @param amqpUrl the RabbitMQ the AMQP scenarios use, for seedmq and the raw client alike
 * @param measure how long one side of one run measures, after its warm-up
 * @param warmUp how long each run settles before it measures (JIT, connections, queues)
 * @param runs how many seedmq/reference pairs run, alternating
 * @param streamMessages how many messages the memory-stream scenario sends through its worker
 */
public record Settings(String amqpUrl, Duration measure, Duration warmUp, int runs, int streamMessages) {

    /** The broker the tests and samples use when nothing else is said. */
    public static final String DEFAULT_AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/%2F";

    /** Checks the bounds. */
    public Settings {
        if (measure.isNegative() || measure.isZero()) {
            throw new IllegalArgumentException("the measurement must last longer than zero: " + measure);
        }
        if (runs < 1) {
            throw new IllegalArgumentException("at least one run: " + runs);
        }
        if (streamMessages < 4) {
            throw new IllegalArgumentException("the stream needs at least four messages (one per quarter): "
                    + streamMessages);
        }
    }

    /**
     * @param url the AMQP URL
     * @param seconds measurement per side and run, fractions allowed
     * @param runs pairs of runs
     * @param streamMessages messages through the memory-stream worker
     * @return settings whose warm-up is a fifth of the measurement, at most two seconds
     */
    public static Settings of(String url, double seconds, int runs, int streamMessages) {
        Duration measure = Duration.ofNanos((long) (seconds * 1e9));
        Duration warmUp = measure.dividedBy(5).compareTo(Duration.ofSeconds(2)) > 0
                ? Duration.ofSeconds(2) : measure.dividedBy(5);
        return new Settings(url, measure, warmUp, runs, streamMessages);
    }
}
