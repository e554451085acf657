package io.seedmq.samples;

import java.io.PrintWriter;
import java.util.List;

/**
 * Runs every sample in this process against one broker and prints one line per sample, ending in
 * {@code PASS} or {@code FAIL}. A sample that throws fails; the others still run.
 */
public final class Tour {

    private static final int WIDTH = 78;

    private Tour() {
    }

    /**
     * @param url the broker URL
     * @param samples the samples, in order
     * @param out where the lines go
     * @return whether every sample passed
     */
    public static boolean run(String url, List<Sample> samples, PrintWriter out) {
        out.println("seedmq samples tour on " + Main.masked(url));
        Names names = Names.unique();
        boolean allPassed = true;
        for (Sample sample : samples) {
            Check check;
            try {
                check = sample.runInProcess(url, names);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                check = Check.fail("interrupted");
            } catch (Exception e) {
                check = Check.fail(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            allPassed &= check.passed();
            out.println(line(sample.name(), check));
            out.flush();
        }
        return allPassed;
    }

    /** @return {@code name  summary ...... PASS}, padded with dots to a fixed width when it fits */
    static String line(String name, Check check) {
        String verdict = check.passed() ? "PASS" : "FAIL";
        String head = String.format("%-12s %s ", name, check.summary());
        int dots = Math.max(3, WIDTH - head.length() - verdict.length() - 1);
        return head + ".".repeat(dots) + " " + verdict;
    }
}
