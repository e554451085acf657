package io.seedmq.messaging.inmemory;

import io.seedmq.messaging.spi.OutboundMessage;

/**
 * One message's place in one queue. The message itself is shared by every queue it was routed to,
 * never copied. Mutable fields are guarded by the owning queue's lock.
 */
final class QueueEntry {
    /** {@link #expiresAt} of a message that never expires. */
    static final long NEVER = Long.MAX_VALUE;

    final OutboundMessage message;
    /** Deadline in {@link System#nanoTime()} units, or {@link #NEVER}. */
    final long expiresAt;
    final int priority;
    /**
     * The order in which the queue took the message: a requeued message goes back to the place
     * this gives it, as RabbitMQ's classic queues put it back by its sequence id.
     */
    long seq;
    boolean redelivered;
    /**
     * Quorum queues: its failed deliveries (RabbitMQ 4.3's {@code x-delivery-count}, the count the
     * delivery limit applies to): returns by reject or by a closed channel, not by release.
     */
    int deliveryCount;
    /** Quorum queues: every return, failed or not (RabbitMQ 4.3's {@code x-acquired-count}). */
    int acquiredCount;

    QueueEntry(OutboundMessage message, long expiresAt, int priority) {
        this.message = message;
        this.expiresAt = expiresAt;
        this.priority = priority;
    }

    /** @return what the message counts toward the broker's memory limit: its body's bytes */
    long size() {
        return message.body().length;
    }

    boolean expiredAt(long now) {
        return expiresAt != NEVER && now - expiresAt >= 0;
    }
}
