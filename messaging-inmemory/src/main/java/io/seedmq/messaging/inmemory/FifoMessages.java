package io.seedmq.messaging.inmemory;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * Ready messages of a queue without priorities (or of one priority level), in sequence order.
 *
 * <p>Messages never delivered wait in a plain deque, in the order they came. A message can only
 * have been delivered from the head, so once requeued it precedes every message never delivered;
 * requeued messages therefore wait in a small heap by sequence number that is always served
 * first. The common path (no requeues) stays a deque.
 */
final class FifoMessages implements ReadyMessages {
    private static final Comparator<QueueEntry> BY_SEQ = Comparator.comparingLong(e -> e.seq);

    private final MemoryAlarm memory;
    private final ArrayDeque<QueueEntry> fresh = new ArrayDeque<>();
    /** Created on the first requeue. */
    private PriorityQueue<QueueEntry> requeued;

    /** @param memory counts the bodies this holds */
    FifoMessages(MemoryAlarm memory) {
        this.memory = memory;
    }

    @Override
    public void addLast(QueueEntry entry) {
        fresh.addLast(entry);
        memory.taken(entry.size());
    }

    @Override
    public void requeue(QueueEntry entry) {
        if (requeued == null) {
            requeued = new PriorityQueue<>(BY_SEQ);
        }
        requeued.add(entry);
        memory.taken(entry.size());
    }

    @Override
    public QueueEntry peek() {
        return requeued != null && !requeued.isEmpty() ? requeued.peek() : fresh.peekFirst();
    }

    @Override
    public QueueEntry poll() {
        QueueEntry e = pollHeld();
        if (e != null) {
            memory.released(e.size());
        }
        return e;
    }

    @Override
    public QueueEntry pollHeld() {
        return requeued != null && !requeued.isEmpty() ? requeued.poll() : fresh.pollFirst();
    }

    @Override
    public int size() {
        return fresh.size() + (requeued == null ? 0 : requeued.size());
    }

    @Override
    public void clear() {
        long bytes = 0;
        for (QueueEntry e : fresh) {
            bytes += e.size();
        }
        fresh.clear();
        if (requeued != null) {
            for (QueueEntry e : requeued) {
                bytes += e.size();
            }
            requeued.clear();
        }
        memory.released(bytes);
    }
}
