package io.seedmq.messaging.inmemory;

/**
 * The ready (not delivered) messages of a queue, in delivery order. Not thread-safe: used under
 * the queue lock.
 */
interface ReadyMessages {

    static ReadyMessages create(int maxPriority, MemoryAlarm memory) {
        return maxPriority > 0 ? new PriorityMessages(maxPriority, memory) : new FifoMessages(memory);
    }

    /** Appends a message the queue has just taken; its sequence number is above every other's. */
    void addLast(QueueEntry entry);

    /**
     * Puts a requeued message back at its original place (within its priority): before every
     * message the queue took after it, after those it took before.
     */
    void requeue(QueueEntry entry);

    /** @return the next message to deliver, or {@code null} */
    QueueEntry peek();

    /** Removes and returns the next message to deliver, or {@code null}. */
    QueueEntry poll();

    /**
     * As {@link #poll()}, the message's bytes still counted by the memory alarm: the caller hands
     * them on to the delivery, which holds them until settled, so that the count is not released
     * here only to be taken again there.
     */
    QueueEntry pollHeld();

    int size();

    default boolean isEmpty() {
        return size() == 0;
    }

    void clear();
}
