package io.seedmq.messaging.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What arrived, in order, and waits for more with a deadline: the common part of the collectors
 * and recorders. A wait that runs out fails the test with an {@link AssertionError} that lists what
 * did arrive, so a failure shows at once whether nothing came, too little, or the wrong thing.
 *
 * @param <T> what arrives
 */
final class Arrivals<T> {

    /** How many arrivals a failure lists before it only counts the rest. */
    private static final int LISTED = 20;

    private final String what;
    private final Function<? super T, String> describe;
    private final List<T> items = new ArrayList<>();

    /**
     * @param what what is awaited, for failures: {@code messages on queue 'x'}
     * @param describe one line per arrival, for failures
     */
    Arrivals(String what, Function<? super T, String> describe) {
        this.what = what;
        this.describe = describe;
    }

    synchronized void add(T item) {
        items.add(item);
        notifyAll();
    }

    synchronized List<T> snapshot() {
        return List.copyOf(items);
    }

    synchronized void clear() {
        items.clear();
    }

    /**
     * @param count how many to wait for
     * @param timeout how long at most
     * @return everything that arrived, at least {@code count}
     * @throws AssertionError listing what arrived when fewer came in time
     */
    synchronized List<T> awaitCount(int count, Duration timeout) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (items.size() < count) {
            if (!waitUntil(deadline)) {
                throw new AssertionError("expected " + count + " " + what + " within " + shown(timeout) + ", "
                        + listing());
            }
        }
        return List.copyOf(items);
    }

    /**
     * @param matches which one
     * @param description what is wanted, for the failure
     * @param timeout how long at most
     * @return the first arrival, in order, that matches
     * @throws AssertionError listing what arrived when none matched in time
     */
    synchronized T awaitMatch(Predicate<? super T> matches, String description, Duration timeout) {
        Objects.requireNonNull(matches, "matches");
        long deadline = System.nanoTime() + timeout.toNanos();
        int checked = 0;
        while (true) {
            for (; checked < items.size(); checked++) {
                if (matches.test(items.get(checked))) {
                    return items.get(checked);
                }
            }
            if (!waitUntil(deadline)) {
                throw new AssertionError("expected one of the " + what + " to match " + description + " within "
                        + shown(timeout) + ", but none did; " + listing());
            }
        }
    }

    /** Waits for an arrival; never sleeps longer than the deadline. @return false once the deadline passed */
    private boolean waitUntil(long deadline) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            return false;
        }
        try {
            wait(Math.max(1, left / 1_000_000), 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + what, e);
        }
        return true;
    }

    private String listing() {
        if (items.isEmpty()) {
            return "nothing arrived";
        }
        StringBuilder out = new StringBuilder().append(items.size()).append(" arrived:");
        for (int i = 0; i < Math.min(LISTED, items.size()); i++) {
            out.append("\n  ").append(i + 1).append(". ").append(describe.apply(items.get(i)));
        }
        if (items.size() > LISTED) {
            out.append("\n  ... and ").append(items.size() - LISTED).append(" more");
        }
        return out.toString();
    }

    private static String shown(Duration timeout) {
        return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
    }
}
