package io.seedmq.samples;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * What one party of a sample received, in arrival order. Handlers add from consumer threads; the
 * sample waits on it for a condition with a deadline, so a run never synchronises by sleeping and
 * never waits forever. Thread-safe.
 *
 * @param <T> what is collected
 */
public final class Inbox<T> {

    private final List<T> items = new ArrayList<>();

    /** @param item what arrived; wakes up waiters */
    public synchronized void add(T item) {
        items.add(item);
        notifyAll();
    }

    /** @return a copy of everything received so far, in arrival order */
    public synchronized List<T> snapshot() {
        return List.copyOf(items);
    }

    /**
     * Waits until {@code count} items arrived.
     *
     * @param count how many
     * @param timeout the longest wait
     * @return whether they arrived in time
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitCount(int count, Duration timeout) throws InterruptedException {
        return await(items -> items.size() >= count, timeout);
    }

    /**
     * Waits until an item satisfying {@code last} arrived: with FIFO queues, publishing a message
     * every party receives last proves that everything published before it has been delivered.
     *
     * @param last recognises the item awaited
     * @param timeout the longest wait
     * @return whether it arrived in time
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitItem(Predicate<T> last, Duration timeout) throws InterruptedException {
        return await(items -> items.stream().anyMatch(last), timeout);
    }

    private synchronized boolean await(Predicate<List<T>> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.test(items)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            // wait() takes milliseconds; round up so a sub-millisecond remainder still waits.
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }
}
