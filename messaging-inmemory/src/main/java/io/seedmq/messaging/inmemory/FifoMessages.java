package io.seedmq.messaging.inmemory;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;

/** Ready messages of a queue without priorities: plain FIFO. */
final class FifoMessages implements ReadyMessages {
    private final ArrayDeque<QueueEntry> entries = new ArrayDeque<>();

    @Override
    public void addLast(QueueEntry entry) {
        entries.addLast(entry);
    }

    @Override
    public void addFirst(QueueEntry entry) {
        entries.addFirst(entry);
    }

    @Override
    public QueueEntry poll() {
        return entries.pollFirst();
    }

    @Override
    public int size() {
        return entries.size();
    }

    @Override
    public void clear() {
        entries.clear();
    }

    @Override
    public long removeExpired(long now, List<QueueEntry> expired) {
        return removeExpired(entries, now, expired);
    }

    static long removeExpired(ArrayDeque<QueueEntry> entries, long now, List<QueueEntry> expired) {
        long earliest = QueueEntry.NEVER;
        for (Iterator<QueueEntry> it = entries.iterator(); it.hasNext(); ) {
            QueueEntry e = it.next();
            if (e.expiredAt(now)) {
                it.remove();
                expired.add(e);
            } else if (e.expiresAt != QueueEntry.NEVER && (earliest == QueueEntry.NEVER || e.expiresAt - earliest < 0)) {
                earliest = e.expiresAt;
            }
        }
        return earliest;
    }
}
