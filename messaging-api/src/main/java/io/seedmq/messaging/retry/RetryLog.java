package io.seedmq.messaging.retry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Retry log lines under a failure storm: one line per kind of event (operation, step, cause) per
 * interval, and a count of what was left out, instead of one line per message. A single operation
 * still logs each of its attempts, since each attempt is a kind of its own.
 */
final class RetryLog {

    /** How long lines of one kind are counted instead of written. */
    static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Beyond this many kinds the table starts afresh, so odd operation names cannot grow it forever. */
    private static final int MAX_KINDS = 1_000;

    private static final Map<String, Kind> KINDS = new ConcurrentHashMap<>();

    private RetryLog() {
    }

    /** Lines of one kind: when one was last written, and how many were left out since. */
    private static final class Kind {
        final AtomicLong lastWritten = new AtomicLong();
        final AtomicLong leftOut = new AtomicLong();
    }

    /**
     * Writes the line at WARN unless a line of the same kind was written within the interval, in
     * which case it is counted and the next line written says how many were left out.
     *
     * @param log where to write
     * @param kind what makes lines alike: the operation, the step (attempt n, giving up), the cause's class
     * @param format the line, in SLF4J's format
     * @param args its arguments
     */
    static void warn(Logger log, String kind, String format, Object... args) {
        if (!log.isWarnEnabled()) {
            return;
        }
        if (KINDS.size() > MAX_KINDS) {
            KINDS.clear();
        }
        Kind k = KINDS.computeIfAbsent(kind, x -> new Kind());
        long now = System.nanoTime();
        long last = k.lastWritten.get();
        boolean first = last == 0;
        if (!first && now - last < INTERVAL_NANOS || !k.lastWritten.compareAndSet(last, now == 0 ? 1 : now)) {
            k.leftOut.incrementAndGet();
            return;
        }
        long leftOut = k.leftOut.getAndSet(0);
        if (leftOut == 0) {
            log.warn(format, args);
        } else {
            Object[] withCount = java.util.Arrays.copyOf(args, args.length + 1);
            withCount[args.length] = leftOut;
            log.warn(format + " ({} more like it in the last 10 s were not logged)", withCount);
        }
    }
}
