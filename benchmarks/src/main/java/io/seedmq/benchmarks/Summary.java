package io.seedmq.benchmarks;

import java.util.Arrays;
import java.util.List;

/**
 * The median of several runs with their range, as the table prints it.
 *
 * @param median the middle value (the mean of the two middle ones for an even count)
 * @param min the smallest
 * @param max the largest
 */
public record Summary(double median, double min, double max) {

    /**
     * @param values one figure per run; not empty
     * @return their summary
     */
    public static Summary of(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("nothing to summarise");
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new Summary(median, sorted[0], sorted[n - 1]);
    }

    /**
     * @param sorted values in ascending order; not empty
     * @param fraction 0.5 for the median, 0.99 for p99
     * @return the value at that rank (nearest rank)
     */
    public static long percentile(long[] sorted, double fraction) {
        int rank = (int) Math.ceil(fraction * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /**
     * @param values unsorted samples; sorted in place
     * @return the same array, sorted
     */
    static long[] sort(long[] values) {
        Arrays.sort(values);
        return values;
    }
}
