package io.seedmq.samples;

/**
 * The verdict on one sample run, decided from what its parties really received.
 *
 * @param passed whether the outcome is what the pattern promises
 * @param summary one short line saying what was observed (and, on failure, what was wrong)
 */
public record Check(boolean passed, String summary) {

    /** @param summary what was observed @return a passing check */
    public static Check pass(String summary) {
        return new Check(true, summary);
    }

    /** @param summary what was wrong @return a failing check */
    public static Check fail(String summary) {
        return new Check(false, summary);
    }
}
