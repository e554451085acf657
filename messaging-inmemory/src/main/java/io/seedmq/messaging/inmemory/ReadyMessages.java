package io.seedmq.messaging.inmemory;

import java.util.List;

/** The ready (not delivered) messages of a queue, in delivery order. Not thread-safe: used under the queue lock. */
interface ReadyMessages {

    static ReadyMessages create(int maxPriority) {
        return maxPriority > 0 ? new PriorityMessages(maxPriority) : new FifoMessages();
    }

    void addLast(QueueEntry entry);

    /** Puts a requeued message back at the head (of its priority level). */
    void addFirst(QueueEntry entry);

    QueueEntry poll();

    int size();

    default boolean isEmpty() {
        return size() == 0;
    }

    void clear();

    /**
     * Removes every message expired at {@code now} into {@code expired}.
     *
     * @return the earliest deadline among the messages left, or {@link QueueEntry#NEVER}
     */
    long removeExpired(long now, List<QueueEntry> expired);
}
