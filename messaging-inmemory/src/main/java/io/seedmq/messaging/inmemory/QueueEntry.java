package io.seedmq.messaging.inmemory;

/** One message's place in one queue. Mutable fields are guarded by the owning queue's lock. */
final class QueueEntry {
    /** {@link #expiresAt} of a message that never expires. */
    static final long NEVER = Long.MAX_VALUE;

    final StoredMessage message;
    /** Deadline in {@link System#nanoTime()} units, or {@link #NEVER}. */
    final long expiresAt;
    final int priority;
    boolean redelivered;

    QueueEntry(StoredMessage message, long expiresAt, int priority) {
        this.message = message;
        this.expiresAt = expiresAt;
        this.priority = priority;
    }

    boolean expiredAt(long now) {
        return expiresAt != NEVER && now - expiresAt >= 0;
    }
}
