package io.seedmq.benchmarks;

/**
 * One figure a scenario reports for each side, such as throughput or a latency percentile.
 *
 * @param name what is measured, with its unit, for example {@code "msg/s"} or {@code "p99 µs"}
 * @param higherIsBetter whether a larger figure is the better one (throughput) or not (latency, heap)
 * @param target the bar on the ratio seedmq ÷ reference, for example {@code "≥ 0.95"}; empty when none
 */
public record Metric(String name, boolean higherIsBetter, String target) {

    /**
     * @param name what is measured, with its unit
     * @param target the bar on the ratio, or empty
     * @return a figure where more is better
     */
    public static Metric higher(String name, String target) {
        return new Metric(name, true, target);
    }

    /**
     * @param name what is measured, with its unit
     * @param target the bar on the ratio, or empty
     * @return a figure where less is better
     */
    public static Metric lower(String name, String target) {
        return new Metric(name, false, target);
    }
}
