package io.seedmq.messaging.inmemory;

import java.util.ArrayDeque;
import java.util.List;

/** Ready messages of a queue with {@code x-max-priority}: highest priority first, FIFO within a priority. */
final class PriorityMessages implements ReadyMessages {
    private final ArrayDeque<QueueEntry>[] levels;
    private int size;

    @SuppressWarnings({"unchecked", "rawtypes"})
    PriorityMessages(int maxPriority) {
        levels = new ArrayDeque[maxPriority + 1];
        for (int i = 0; i < levels.length; i++) {
            levels[i] = new ArrayDeque<>();
        }
    }

    private ArrayDeque<QueueEntry> level(QueueEntry entry) {
        return levels[Math.min(entry.priority, levels.length - 1)];
    }

    @Override
    public void addLast(QueueEntry entry) {
        level(entry).addLast(entry);
        size++;
    }

    @Override
    public void addFirst(QueueEntry entry) {
        level(entry).addFirst(entry);
        size++;
    }

    @Override
    public QueueEntry poll() {
        if (size == 0) {
            return null;
        }
        for (int i = levels.length - 1; i >= 0; i--) {
            QueueEntry e = levels[i].pollFirst();
            if (e != null) {
                size--;
                return e;
            }
        }
        return null;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public void clear() {
        for (ArrayDeque<QueueEntry> level : levels) {
            level.clear();
        }
        size = 0;
    }

    @Override
    public long removeExpired(long now, List<QueueEntry> expired) {
        long earliest = QueueEntry.NEVER;
        int before = expired.size();
        for (ArrayDeque<QueueEntry> level : levels) {
            long e = FifoMessages.removeExpired(level, now, expired);
            if (e != QueueEntry.NEVER && (earliest == QueueEntry.NEVER || e - earliest < 0)) {
                earliest = e;
            }
        }
        size -= expired.size() - before;
        return earliest;
    }
}
