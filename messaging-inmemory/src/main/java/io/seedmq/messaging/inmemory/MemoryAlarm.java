package io.seedmq.messaging.inmemory;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The embedded broker's memory alarm, as RabbitMQ's memory high watermark: it counts the body
 * bytes of every message the broker holds (ready or delivered and not yet settled); past the
 * limit it blocks publishers and tells every connection {@code onBlocked}, and once the count is
 * back at or below the limit it tells {@code onUnblocked}. Thread-safe.
 */
final class MemoryAlarm {

    /** The default limit: a quarter of the JVM's maximum heap, so a test JVM fails a test, not itself. */
    static final long DEFAULT_LIMIT = Runtime.getRuntime().maxMemory() / 4;

    /** Told when the alarm goes off or clears, under the alarm's lock: it must only hand the news on. */
    interface Listener {
        /** @param raised true when the alarm went off, false when it cleared */
        void alarm(boolean raised);
    }

    private final AtomicLong used = new AtomicLong();
    private final Listener listener;
    private volatile long limit = DEFAULT_LIMIT;
    private volatile boolean raised;

    MemoryAlarm(Listener listener) {
        this.listener = listener;
    }

    /** @param bytes the broker took a message of this body size */
    void taken(long bytes) {
        if (used.addAndGet(bytes) > limit && !raised) {
            check();
        }
    }

    /** @param bytes the broker let go of a message of this body size */
    void released(long bytes) {
        if (used.addAndGet(-bytes) <= limit && raised) {
            check();
        }
    }

    /** @param bytes the new limit, as {@code rabbitmqctl set_vm_memory_high_watermark} sets RabbitMQ's */
    void limit(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("the memory limit must be positive: " + bytes);
        }
        limit = bytes;
        check();
    }

    long limit() {
        return limit;
    }

    long used() {
        return used.get();
    }

    boolean raised() {
        return raised;
    }

    /**
     * Waits until the alarm clears.
     *
     * @param timeout the bound
     * @return whether it cleared in time
     */
    boolean awaitClear(java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (raised) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        }
    }

    /**
     * Raises or clears the alarm as the count stands, telling the listener once per change, under
     * the lock so that changes are told in the order they happened (the listener only hands them on).
     */
    private synchronized void check() {
        boolean now = used.get() > limit;
        if (now == raised) {
            return;
        }
        raised = now;
        if (!now) {
            notifyAll();
        }
        listener.alarm(now);
    }
}
