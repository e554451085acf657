package io.seedmq.messaging.inmemory;

import io.seedmq.messaging.Queue;
import io.seedmq.messaging.QueueInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A queue: its ready messages, its consumers and its arguments. Every mutable field is guarded by
 * this object's monitor, held only briefly and never while calling out (listeners, dead-lettering,
 * other queues), so queues never wait on each other.
 */
final class QueueState {
    /** Keeps deadlines far from overflowing {@link System#nanoTime()} arithmetic (about 100 years). */
    private static final long MAX_TTL_MILLIS = TimeUnit.DAYS.toMillis(36_500);

    private final InMemoryBroker broker;
    final Queue declaration;
    /** The connection an exclusive queue belongs to, otherwise {@code null}. */
    final InMemoryConnection owner;
    private final long messageTtlNanos;
    private final long maxLength;
    private final boolean rejectPublish;
    private final int maxPriority;
    final String deadLetterExchange;
    final String deadLetterRoutingKey;
    final long expiresMillis;

    private final ReadyMessages ready;
    private final List<InMemorySubscription> consumers = new ArrayList<>();
    private int nextConsumer;
    private boolean hadConsumer;
    private boolean deleted;
    private long lastUsed = System.nanoTime();
    private long sweepAt = QueueEntry.NEVER;
    /** Dead letters collected under the lock, republished after it is released. */
    private List<QueueEntry> expired;
    private List<QueueEntry> overflowed;

    QueueState(InMemoryBroker broker, Queue declaration, InMemoryConnection owner) {
        this.broker = broker;
        this.declaration = declaration;
        this.owner = owner;
        QueueArguments args = new QueueArguments(declaration);
        this.messageTtlNanos = args.messageTtlMillis() < 0 ? -1 : TimeUnit.MILLISECONDS.toNanos(args.messageTtlMillis());
        this.maxLength = args.maxLength();
        this.rejectPublish = args.rejectPublish();
        this.maxPriority = args.maxPriority();
        this.deadLetterExchange = args.deadLetterExchange();
        this.deadLetterRoutingKey = args.deadLetterRoutingKey();
        this.expiresMillis = args.expiresMillis();
        this.ready = ReadyMessages.create(maxPriority);
    }

    String name() {
        return declaration.name();
    }

    boolean accessibleBy(InMemoryConnection connection) {
        return owner == null || owner == connection;
    }

    /**
     * Enqueues a routed message, handing it straight to a consumer with spare capacity when none
     * is waiting ahead of it.
     *
     * @return {@code false} if refused by {@code x-overflow=reject-publish}
     */
    boolean enqueue(StoredMessage message) {
        QueueEntry entry = new QueueEntry(message, deadline(message), priority(message));
        List<QueueEntry> toExpire;
        List<QueueEntry> toDrop;
        synchronized (this) {
            if (deleted) {
                return true;
            }
            if (ready.isEmpty()) {
                InMemorySubscription c = nextConsumerWithCapacity();
                if (c != null) {
                    c.dispatch(entry);
                    return true;
                }
            }
            if (maxLength >= 0 && rejectPublish && ready.size() >= maxLength) {
                return false;
            }
            ready.addLast(entry);
            if (maxLength >= 0) {
                while (ready.size() > maxLength) {
                    overflow(ready.poll());
                }
            }
            watchExpiry(entry);
            dispatch();
            toExpire = takeExpired();
            toDrop = takeOverflowed();
        }
        deadLetter(toExpire, toDrop);
        return true;
    }

    /** Settles a delivery: ack, requeue (to the head, flagged redelivered) or reject to the dead-letter exchange. */
    void settle(InMemorySubscription consumer, QueueEntry entry, boolean ack, boolean requeue) {
        List<QueueEntry> rejected = null;
        List<QueueEntry> toExpire;
        synchronized (this) {
            if (consumer != null) {
                consumer.settled();
            }
            if (deleted) {
                return;
            }
            if (!ack) {
                if (requeue) {
                    entry.redelivered = true;
                    ready.addFirst(entry);
                    watchExpiry(entry);
                } else if (deadLetterExchange != null) {
                    rejected = List.of(entry);
                }
            }
            dispatch();
            toExpire = takeExpired();
        }
        deadLetter(toExpire, null);
        if (rejected != null) {
            broker.deadLetter(this, rejected, DeadLetters.REJECTED);
        }
    }

    /** Returns deliveries that were never settled (in delivery order) to the head of the queue, flagged redelivered. */
    void requeueAll(InMemorySubscription consumer, List<QueueEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        List<QueueEntry> toExpire;
        synchronized (this) {
            if (consumer != null) {
                for (int i = 0; i < entries.size(); i++) {
                    consumer.settled();
                }
            }
            if (deleted) {
                return;
            }
            for (int i = entries.size() - 1; i >= 0; i--) {
                QueueEntry e = entries.get(i);
                e.redelivered = true;
                ready.addFirst(e);
                watchExpiry(e);
            }
            dispatch();
            toExpire = takeExpired();
        }
        deadLetter(toExpire, null);
    }

    /** basic.get: the next live ready message, or {@code null}. */
    QueueEntry get() {
        QueueEntry entry;
        List<QueueEntry> toExpire;
        synchronized (this) {
            lastUsed = System.nanoTime();
            entry = deleted ? null : pollLive();
            toExpire = takeExpired();
        }
        deadLetter(toExpire, null);
        return entry;
    }

    /** @throws io.seedmq.messaging.AccessRefusedException if the exclusivity rules forbid this consumer */
    void addConsumer(InMemorySubscription consumer) {
        List<QueueEntry> toExpire;
        synchronized (this) {
            if (deleted) {
                throw Declarations.noQueue(name());
            }
            boolean exclusiveHeld = !consumers.isEmpty() && consumers.get(0).exclusive;
            if (exclusiveHeld || (consumer.exclusive && !consumers.isEmpty())) {
                throw Declarations.exclusiveUse(name());
            }
            consumers.add(consumer);
            hadConsumer = true;
            dispatch();
            toExpire = takeExpired();
        }
        deadLetter(toExpire, null);
    }

    /** @return whether the queue should now be auto-deleted (it had consumers and this was the last) */
    synchronized boolean removeConsumer(InMemorySubscription consumer) {
        int i = consumers.indexOf(consumer);
        if (i < 0) {
            return false;
        }
        consumers.remove(i);
        if (nextConsumer > i) {
            nextConsumer--;
        }
        lastUsed = System.nanoTime();
        return declaration.autoDelete() && hadConsumer && consumers.isEmpty() && !deleted;
    }

    synchronized long purge() {
        int n = ready.size();
        ready.clear();
        return n;
    }

    synchronized QueueInfo info() {
        return new QueueInfo(name(), ready.size(), consumers.size());
    }

    synchronized void touch() {
        lastUsed = System.nanoTime();
    }

    synchronized boolean unusedFor(long millis) {
        return consumers.isEmpty() && System.nanoTime() - lastUsed >= TimeUnit.MILLISECONDS.toNanos(millis);
    }

    /** @return milliseconds until an unused queue would expire (never less than 1) */
    synchronized long millisUntilExpiry() {
        long idle = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastUsed);
        return consumers.isEmpty() ? Math.max(1, expiresMillis - idle) : expiresMillis;
    }

    synchronized boolean isDeleted() {
        return deleted;
    }

    synchronized boolean hasConsumers() {
        return !consumers.isEmpty();
    }

    synchronized int readyCount() {
        return ready.size();
    }

    /**
     * Marks the queue deleted and drops its messages; call only from the broker, which removes it
     * from the topology. @return the consumers to notify of the cancellation
     */
    synchronized List<InMemorySubscription> markDeleted() {
        deleted = true;
        ready.clear();
        List<InMemorySubscription> cancelled = new ArrayList<>(consumers);
        consumers.clear();
        return cancelled;
    }

    /** Runs on the broker's scheduler at the earliest deadline of a ready message. */
    void sweep() {
        List<QueueEntry> toExpire;
        synchronized (this) {
            sweepAt = QueueEntry.NEVER;
            if (deleted) {
                return;
            }
            List<QueueEntry> found = new ArrayList<>();
            long next = ready.removeExpired(System.nanoTime(), found);
            if (!found.isEmpty() && deadLetterExchange != null) {
                expired().addAll(found);
            }
            if (next != QueueEntry.NEVER) {
                scheduleSweep(next);
            }
            toExpire = takeExpired();
        }
        deadLetter(toExpire, null);
    }

    private void dispatch() {
        while (!ready.isEmpty()) {
            InMemorySubscription c = nextConsumerWithCapacity();
            if (c == null) {
                return;
            }
            QueueEntry e = pollLive();
            if (e == null) {
                return;
            }
            c.dispatch(e);
        }
    }

    private InMemorySubscription nextConsumerWithCapacity() {
        int n = consumers.size();
        for (int i = 0; i < n; i++) {
            int idx = (nextConsumer + i) % n;
            InMemorySubscription c = consumers.get(idx);
            if (c.hasCapacity()) {
                nextConsumer = (idx + 1) % n;
                return c;
            }
        }
        return null;
    }

    /** Expired messages are never delivered: they are dead-lettered on the way out. */
    private QueueEntry pollLive() {
        long now = 0;
        boolean clock = false;
        QueueEntry e;
        while ((e = ready.poll()) != null) {
            if (e.expiresAt == QueueEntry.NEVER) {
                return e;
            }
            if (!clock) {
                now = System.nanoTime();
                clock = true;
            }
            if (!e.expiredAt(now)) {
                return e;
            }
            if (deadLetterExchange != null) {
                expired().add(e);
            }
        }
        return null;
    }

    private void overflow(QueueEntry dropped) {
        if (deadLetterExchange != null) {
            if (overflowed == null) {
                overflowed = new ArrayList<>();
            }
            overflowed.add(dropped);
        }
    }

    private List<QueueEntry> expired() {
        if (expired == null) {
            expired = new ArrayList<>();
        }
        return expired;
    }

    private List<QueueEntry> takeExpired() {
        List<QueueEntry> out = expired;
        expired = null;
        return out;
    }

    private List<QueueEntry> takeOverflowed() {
        List<QueueEntry> out = overflowed;
        overflowed = null;
        return out;
    }

    private void watchExpiry(QueueEntry entry) {
        if (entry.expiresAt != QueueEntry.NEVER && (sweepAt == QueueEntry.NEVER || entry.expiresAt - sweepAt < 0)) {
            scheduleSweep(entry.expiresAt);
        }
    }

    private void scheduleSweep(long at) {
        sweepAt = at;
        broker.schedule(this::sweep, Math.max(0, at - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private void deadLetter(List<QueueEntry> toExpire, List<QueueEntry> toDrop) {
        if (toExpire != null) {
            broker.deadLetter(this, toExpire, DeadLetters.EXPIRED);
        }
        if (toDrop != null) {
            broker.deadLetter(this, toDrop, DeadLetters.MAXLEN);
        }
    }

    private long deadline(StoredMessage message) {
        long ttl = messageTtlNanos;
        if (message.properties().expiration() != null) {
            long own = TimeUnit.MILLISECONDS.toNanos(Math.min(message.properties().expiration().toMillis(), MAX_TTL_MILLIS));
            ttl = ttl < 0 ? own : Math.min(ttl, own);
        }
        return ttl < 0 ? QueueEntry.NEVER : System.nanoTime() + ttl;
    }

    private int priority(StoredMessage message) {
        Integer p = message.properties().priority();
        return maxPriority == 0 || p == null ? 0 : Math.min(p, maxPriority);
    }
}
