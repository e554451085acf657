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

    private final ArrayDeque<QueueEntry> fresh = new ArrayDeque<>();
    /** Created on the first requeue. */
    private PriorityQueue<QueueEntry> requeued;

    @Override
    public void addLast(QueueEntry entry) {
        fresh.addLast(entry);
    }

    @Override
    public void requeue(QueueEntry entry) {
        if (requeued == null) {
            requeued = new PriorityQueue<>(BY_SEQ);
        }
        requeued.add(entry);
    }

    @Override
    public QueueEntry peek() {
        return requeued != null && !requeued.isEmpty() ? requeued.peek() : fresh.peekFirst();
    }

    @Override
    public QueueEntry poll() {
        return requeued != null && !requeued.isEmpty() ? requeued.poll() : fresh.pollFirst();
    }

    @Override
    public int size() {
        return fresh.size() + (requeued == null ? 0 : requeued.size());
    }

    @Override
    public void clear() {
        fresh.clear();
        if (requeued != null) {
            requeued.clear();
        }
    }
}
