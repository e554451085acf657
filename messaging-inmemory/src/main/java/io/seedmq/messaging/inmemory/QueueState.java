package io.seedmq.messaging.inmemory;

import io.seedmq.messaging.DeclarationConflictException;
import io.seedmq.messaging.MessagingException;
import io.seedmq.messaging.Queue;
import io.seedmq.messaging.QueueInfo;
import io.seedmq.messaging.QueueType;
import io.seedmq.messaging.spi.OutboundMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A queue: its ready messages, its consumers and its arguments. Every mutable field is guarded by
 * this object's monitor, held only briefly and never while calling out (listeners, dead-lettering,
 * other queues), so queues never wait on each other.
 *
 * <p>It behaves as a RabbitMQ classic queue: a requeued message goes back to its original place;
 * past {@code x-max-length} the head is dropped (after a requeue too) or, with
 * {@code reject-publish} overflow, the publish is refused (and dead-lettered with
 * {@code reject-publish-dlx}); an expired message leaves the queue when it reaches the head, and
 * counts until then. The head is checked for expiry when RabbitMQ checks it: after every fetch
 * and requeue, after a publish that dropped messages or found the queue empty, and when the
 * head's deadline passes.
 *
 * <p>A quorum queue ({@code x-queue-type quorum}) counts the returns of each message as RabbitMQ 4.3
 * does: every return in {@code x-acquired-count}, the failed ones (reject, closed channel; not
 * release) in {@code x-delivery-count}, both added to its deliveries; past {@code x-delivery-limit}
 * (20 unless declared) failed deliveries it dead-letters the message with reason
 * {@code delivery_limit} instead of putting it back. A stream keeps its messages in a
 * {@link StreamLog}: every consumer reads it from its own offset, acknowledging removes nothing, and
 * each delivery carries its {@code x-stream-offset}. Among consumers with room in their prefetch the
 * highest {@code x-priority} is served first; with {@code x-single-active-consumer} only the oldest
 * consumer is served, until it goes.
 *
 * <p>A {@code basic.get} may wait for a message ({@link #get(InMemoryConnection, long)}); it is
 * handed the first message that would otherwise stay ready because no consumer has room, as a
 * get polling at that moment would have found it.
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
    private final QueueArguments.Overflow overflow;
    private final int maxPriority;
    final String deadLetterExchange;
    final String deadLetterRoutingKey;
    final long expiresMillis;
    final QueueType type;
    private final long deliveryLimit;
    /** Whether {@link #deliveryLimit} was declared rather than RabbitMQ's default; it decides where requeues go. */
    private final boolean declaresDeliveryLimit;
    private final boolean singleActiveConsumer;
    /** The messages of a stream, or {@code null} for the other types (which keep {@link #ready}). */
    private final StreamLog log;

    private final ReadyMessages ready;
    private final List<InMemorySubscription> consumers = new ArrayList<>();
    private int nextConsumer;
    /** How many consumers have an {@code x-priority} other than 0; while none does, the first with room is served. */
    private int prioritised;
    private boolean hadConsumer;
    private boolean deleted;
    private long lastUsed = System.nanoTime();
    private long sweepAt = QueueEntry.NEVER;
    private long nextSeq;
    /** Dead letters collected under the lock, in the order they died; republished after it is released. */
    private List<DeadLetter> dead;
    /** Waiting basic.gets, oldest first; made on the first. */
    private ArrayDeque<Waiter> waiters;

    /**
     * A basic.get waiting on its own thread. The queue hands it a message, or ends its wait, under
     * its lock and then wakes the thread; the thread gives up under the same lock, so a message is
     * either handed over or stays in the queue.
     */
    private static final class Waiter {
        final Thread thread = Thread.currentThread();
        final InMemoryConnection connection;
        /** What it was handed; written once, under the queue's lock. */
        volatile QueueEntry entry;
        /** The queue was deleted while it waited; written once, under the queue's lock. */
        volatile boolean deleted;

        Waiter(InMemoryConnection connection) {
            this.connection = connection;
        }

        boolean waiting() {
            return entry == null && !deleted && connection.isOpen();
        }
    }

    /** A message leaving the queue for its dead-letter exchange, and why. */
    private record DeadLetter(QueueEntry entry, String reason) {
    }

    QueueState(InMemoryBroker broker, Queue declaration, InMemoryConnection owner) {
        this.broker = broker;
        this.declaration = declaration;
        this.owner = owner;
        QueueArguments args = new QueueArguments(declaration);
        this.messageTtlNanos = args.messageTtlMillis() < 0 ? -1 : TimeUnit.MILLISECONDS.toNanos(args.messageTtlMillis());
        this.maxLength = args.maxLength();
        this.overflow = args.overflow();
        this.maxPriority = args.maxPriority();
        this.deadLetterExchange = args.deadLetterExchange();
        this.deadLetterRoutingKey = args.deadLetterRoutingKey();
        this.expiresMillis = args.expiresMillis();
        this.type = args.type();
        this.deliveryLimit = args.deliveryLimit();
        this.declaresDeliveryLimit = args.declaresDeliveryLimit();
        this.singleActiveConsumer = args.singleActiveConsumer();
        this.log = type == QueueType.STREAM
                ? new StreamLog(broker.memory(), args.maxLengthBytes(), args.maxAgeMillis(), args.segmentBytes()) : null;
        this.ready = ReadyMessages.create(maxPriority, broker.memory());
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
     * @return {@code false} if refused by {@code x-overflow} {@code reject-publish} or
     *     {@code reject-publish-dlx} (which also dead-letters it)
     */
    boolean enqueue(OutboundMessage message) {
        QueueEntry entry = new QueueEntry(message, deadline(message), priority(message));
        boolean accepted = true;
        List<DeadLetter> toDeadLetter;
        synchronized (this) {
            if (deleted) {
                return true;
            }
            entry.seq = nextSeq++;
            if (log != null) {
                log.append(entry);
                dispatchStream();
                return true;
            }
            InMemorySubscription c;
            // RabbitMQ checks the limit before it looks for a consumer: a full queue refuses even when one waits.
            if (maxLength >= 0 && overflow != QueueArguments.Overflow.DROP_HEAD && ready.size() >= maxLength) {
                if (overflow == QueueArguments.Overflow.REJECT_PUBLISH_DLX) {
                    deadLetterLater(entry, DeadLetters.MAXLEN);
                }
                accepted = false;
            } else if (ready.isEmpty() && (c = nextConsumerWithCapacity()) != null) {
                c.dispatch(entry, false);
                return true;
            } else if (ready.isEmpty() && waiters != null && !waiters.isEmpty()) {
                // Counted as if it had been ready for a moment: what a get returns always is.
                broker.memory().taken(entry.size());
                hand(entry);
                return true;
            } else {
                ready.addLast(entry);
                boolean dropped = dropHeadsOverMaxLength();
                // RabbitMQ looks for expired messages at the head after a publish only when the head
                // may have changed in a FIFO queue: something was dropped, or the message is alone.
                // In a priority queue a message can overtake the head without that check, and stays
                // (counted, and deliverable) until the next fetch, requeue or timer looks.
                if (dropped || ready.size() == 1) {
                    dropExpiredHeads();
                }
                dispatch();
            }
            toDeadLetter = takeDead();
        }
        deadLetter(toDeadLetter);
        return accepted;
    }

    /** Why a delivery came back to its queue: what a quorum queue counts (RabbitMQ 4.3) and where it puts it. */
    enum Return {
        /** {@code basic.reject} with requeue: processing failed; counted in {@code x-delivery-count}. */
        REJECTED,
        /** {@code basic.nack} with requeue: given back without failure; only {@code x-acquired-count}. */
        RELEASED,
        /**
         * Its channel or connection closed, which RabbitMQ 4.3 counts as a failed delivery; or its
         * consumer was cancelled, where 4.3's documentation is silent and 3.10's counting is kept.
         */
        RETURNED
    }

    /**
     * Settles a delivery its settler has claimed: takes it out of its ledger, then acks, requeues
     * it (to its original place, flagged redelivered) or rejects it to the dead-letter exchange.
     *
     * @param back how it comes back to the queue; {@code null} with {@code ack} false rejects it to
     *     the dead-letter exchange
     */
    void settle(InMemoryDelivery delivery, boolean ack, Return back) {
        InMemorySubscription consumer = delivery.subscription;
        QueueEntry entry = delivery.entry;
        if (consumer == null || (ack && !consumer.hasPrefetch())) {
            delivery.ledger.remove(delivery);
            if (ack) {
                // An ack that frees no room in a prefetch (a basic.get's, or an unlimited consumer's)
                // changes nothing else under this lock: ready messages wait only while no consumer has
                // room (every change dispatches until none has), and this ack gives none any.
                return;
            }
        }
        List<DeadLetter> toDeadLetter;
        synchronized (this) {
            if (consumer != null) {
                // A subscription's ledger is guarded by this lock: one lock for both.
                delivery.ledger.removeLocked(delivery);
                consumer.settled();
            }
            if (deleted || log != null) {
                // A stream keeps every message: a settle only frees room in the prefetch.
                dispatchStream();
                return;
            }
            if (!ack) {
                if (back != null) {
                    putBack(List.of(entry), back);
                } else {
                    deadLetterLater(entry, DeadLetters.REJECTED);
                }
            }
            dispatch();
            toDeadLetter = takeDead();
        }
        deadLetter(toDeadLetter);
    }

    /** Returns deliveries that were never settled to their original places, flagged redelivered. */
    void requeueAll(InMemorySubscription consumer, List<QueueEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        List<DeadLetter> toDeadLetter;
        synchronized (this) {
            if (consumer != null) {
                for (int i = 0; i < entries.size(); i++) {
                    consumer.settled();
                }
            }
            if (deleted || log != null) {
                dispatchStream();
                return;
            }
            putBack(entries, Return.RETURNED);
            dispatch();
            toDeadLetter = takeDead();
        }
        deadLetter(toDeadLetter);
    }

    /**
     * A basic.get that waits: the next live ready message, else the first message no consumer has
     * room for within the timeout.
     *
     * @param connection the getter's; its close ends the wait
     * @param timeoutNanos the longest wait; zero or less does not wait
     * @return the message, its bytes still counted ({@link ReadyMessages#pollHeld()}), or
     *     {@code null} when none came in time or the connection closed
     * @throws MessagingException if the queue is deleted while waiting, or the thread is
     *     interrupted (the flag is set again); a message already handed over is returned instead
     */
    QueueEntry get(InMemoryConnection connection, long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        Waiter w;
        List<DeadLetter> toDeadLetter;
        synchronized (this) {
            if (expiresMillis > 0) {
                lastUsed = System.nanoTime();
            }
            QueueEntry entry = deleted ? null : take();
            toDeadLetter = takeDead();
            if (entry != null || deleted || timeoutNanos <= 0) {
                w = null;
            } else {
                w = new Waiter(connection);
                if (waiters == null) {
                    waiters = new ArrayDeque<>();
                }
                waiters.addLast(w);
            }
            if (w == null) {
                deadLetter(toDeadLetter);
                return entry;
            }
        }
        deadLetter(toDeadLetter);
        boolean interrupted = false;
        while (w.waiting()) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || (interrupted = Thread.interrupted())) {
                break;
            }
            LockSupport.parkNanos(this, left);
        }
        if (w.entry == null && !w.deleted) {
            synchronized (this) {
                if (w.entry == null && !w.deleted) {
                    waiters.remove(w);
                    lastUsed = System.nanoTime();
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (w.entry != null) {
            return w.entry;
        }
        if (w.deleted) {
            throw new MessagingException("queue '" + name() + "' was deleted while waiting on it");
        }
        if (interrupted) {
            throw new MessagingException("interrupted while waiting on queue '" + name() + "'");
        }
        return null;
    }

    /** Ends the waits of a closing connection's gets; it has stopped being open already. */
    void connectionClosed(InMemoryConnection connection) {
        synchronized (this) {
            if (waiters != null) {
                // Its waiters see the connection closed; waking them is all that is left.
                for (Waiter w : waiters) {
                    if (w.connection == connection) {
                        LockSupport.unpark(w.thread);
                    }
                }
            }
        }
    }

    /** basic.get: the next live ready message, its bytes still counted ({@link ReadyMessages#pollHeld()}), or {@code null}. */
    QueueEntry get() {
        QueueEntry entry;
        List<DeadLetter> toDeadLetter;
        synchronized (this) {
            if (expiresMillis > 0) {
                // Only x-expires reads it: spare the clock on every get of the other queues.
                lastUsed = System.nanoTime();
            }
            entry = deleted ? null : take();
            toDeadLetter = takeDead();
        }
        deadLetter(toDeadLetter);
        return entry;
    }

    /** @throws io.seedmq.messaging.AccessRefusedException if the exclusivity rules forbid this consumer */
    void addConsumer(InMemorySubscription consumer) {
        List<DeadLetter> toDeadLetter;
        synchronized (this) {
            if (deleted) {
                throw Declarations.noQueue(name());
            }
            boolean exclusiveHeld = !consumers.isEmpty() && consumers.get(0).exclusive;
            if (exclusiveHeld || (consumer.exclusive && !consumers.isEmpty())) {
                throw Declarations.exclusiveUse(name());
            }
            if (log != null) {
                if (consumer.autoAck || !consumer.hasPrefetch()) {
                    throw new DeclarationConflictException("PRECONDITION_FAILED - consumer prefetch count is not set"
                            + " for 'queue '" + name() + "' in vhost '/''");
                }
                consumer.streamCursor = log.start(consumer.streamOffset);
            }
            consumers.add(consumer);
            if (consumer.priority != 0) {
                prioritised++;
            }
            hadConsumer = true;
            if (log != null) {
                dispatchStream();
            } else {
                dispatch();
            }
            toDeadLetter = takeDead();
        }
        deadLetter(toDeadLetter);
    }

    /** @return whether the queue should now be auto-deleted (it had consumers and this was the last) */
    synchronized boolean removeConsumer(InMemorySubscription consumer) {
        int i = consumers.indexOf(consumer);
        if (i < 0) {
            return false;
        }
        consumers.remove(i);
        if (consumer.priority != 0) {
            prioritised--;
        }
        if (nextConsumer > i) {
            nextConsumer--;
        }
        lastUsed = System.nanoTime();
        return declaration.autoDelete() && hadConsumer && consumers.isEmpty() && !deleted;
    }

    /** @return how many ready messages were removed, expired ones not yet at the head included (as RabbitMQ counts them) */
    synchronized long purge() {
        int n = ready.size();
        ready.clear();
        return n;
    }

    synchronized QueueInfo info() {
        return new QueueInfo(name(), log != null ? log.size() : ready.size(), consumers.size());
    }

    synchronized void touch() {
        lastUsed = System.nanoTime();
    }

    synchronized boolean unusedFor(long millis) {
        return consumers.isEmpty() && (waiters == null || waiters.isEmpty()) && System.nanoTime() - lastUsed >= TimeUnit.MILLISECONDS.toNanos(millis);
    }

    /** @return milliseconds until an unused queue would expire (never less than 1) */
    synchronized long millisUntilExpiry() {
        long idle = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastUsed);
        return consumers.isEmpty() && (waiters == null || waiters.isEmpty())
                ? Math.max(1, expiresMillis - idle) : expiresMillis;
    }

    synchronized boolean hasConsumers() {
        return !consumers.isEmpty();
    }

    /** @return how many basic.gets wait on this queue */
    synchronized int waitingGets() {
        return waiters == null ? 0 : waiters.size();
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
        if (log != null) {
            log.clear();
        }
        List<InMemorySubscription> cancelled = new ArrayList<>(consumers);
        consumers.clear();
        prioritised = 0;
        if (waiters != null) {
            for (Waiter w : waiters) {
                w.deleted = true;
                LockSupport.unpark(w.thread);
            }
            waiters.clear();
        }
        return cancelled;
    }

    /** Runs on the broker's scheduler at the deadline of the message at the head. */
    void sweep() {
        List<DeadLetter> toDeadLetter;
        synchronized (this) {
            sweepAt = QueueEntry.NEVER;
            if (deleted) {
                return;
            }
            dropExpiredHeads();
            toDeadLetter = takeDead();
        }
        deadLetter(toDeadLetter);
    }

    /**
     * Puts requeued messages back, then applies what RabbitMQ applies after a requeue: a
     * drop-head queue over its max-length drops from the head (which may be a message just
     * requeued), and expired messages at the head leave. A reject-publish queue may end up over
     * its limit: only publishes are refused.
     *
     * <p>A classic queue puts each message back at its original place. A quorum queue counts the
     * return as RabbitMQ 4.3 does ({@link Return}) and dead-letters past the delivery limit;
     * otherwise returned messages are served first, in the order they came back, except a message
     * requeued by nack or reject on a queue declared without a delivery limit, which goes to the
     * back of the queue. That order is RabbitMQ 3.10's: what 4.3 does is not documented, so it is
     * kept.
     */
    private void putBack(List<QueueEntry> entries, Return why) {
        for (QueueEntry e : entries) {
            e.redelivered = true;
            if (type != QueueType.QUORUM) {
                ready.requeue(e);
                continue;
            }
            e.acquiredCount++;
            if (why != Return.RELEASED) {
                e.deliveryCount++;
            }
            if (deliveryLimit >= 0 && e.deliveryCount > deliveryLimit) {
                deadLetterLater(e, DeadLetters.DELIVERY_LIMIT);
                continue;
            }
            e.seq = nextSeq++;
            if (why != Return.RETURNED && !declaresDeliveryLimit) {
                ready.addLast(e);
            } else {
                ready.requeue(e);
            }
        }
        dropHeadsOverMaxLength();
        dropExpiredHeads();
    }

    /** Hands ready messages to consumers with room, then what is left to waiting gets. */
    private void dispatch() {
        while (!ready.isEmpty()) {
            InMemorySubscription c = nextConsumerWithCapacity();
            if (c == null) {
                break;
            }
            QueueEntry e = take();
            if (e == null) {
                return;
            }
            c.dispatch(e, true);
        }
        while (waiters != null && !waiters.isEmpty() && !ready.isEmpty()) {
            QueueEntry e = take();
            if (e == null) {
                return;
            }
            hand(e);
        }
    }

    /** Hands a message to the oldest waiting get, under the lock, and wakes it. */
    private void hand(QueueEntry entry) {
        Waiter w = waiters.poll();
        w.entry = entry;
        LockSupport.unpark(w.thread);
    }

    /**
     * Round-robin among the consumers of the highest priority that have room; with a single
     * active consumer, the oldest consumer or none.
     */
    private InMemorySubscription nextConsumerWithCapacity() {
        int n = consumers.size();
        if (singleActiveConsumer && n > 0) {
            InMemorySubscription active = consumers.get(0);
            return active.hasCapacity() ? active : null;
        }
        int chosen = -1;
        for (int i = 0; i < n; i++) {
            int idx = (nextConsumer + i) % n;
            InMemorySubscription c = consumers.get(idx);
            if ((chosen < 0 || c.priority > consumers.get(chosen).priority) && c.hasCapacity()) {
                chosen = idx;
                if (prioritised == 0) {
                    break;
                }
            }
        }
        if (chosen < 0) {
            return null;
        }
        nextConsumer = (chosen + 1) % n;
        return consumers.get(chosen);
    }

    /** Hands each stream consumer what it has room for, from its own cursor. */
    private void dispatchStream() {
        if (deleted) {
            return;
        }
        for (InMemorySubscription c : consumers) {
            while (c.hasCapacity() && Math.max(c.streamCursor, log.first()) < log.end()) {
                QueueEntry e = log.at(Math.max(c.streamCursor, log.first()));
                c.streamCursor = e.seq + 1;
                // The log counts its messages itself, whoever reads them.
                c.dispatch(e, false);
            }
        }
    }

    /** @return whether this is a stream, which keeps messages after delivery and refuses basic.get and rejects */
    boolean isStream() {
        return log != null;
    }

    /**
     * Takes the head for delivery, then drops the expired messages the fetch brings to the head,
     * as RabbitMQ does after every fetch. The head itself is not checked first (RabbitMQ does not
     * either): every change that can bring an expired message to the head has checked already,
     * but for a priority queue's publish (see {@link #enqueue}) and a timer not run yet.
     */
    private QueueEntry take() {
        QueueEntry e = ready.pollHeld();
        if (e != null) {
            dropExpiredHeads();
        }
        return e;
    }

    /** @return whether messages were dropped */
    private boolean dropHeadsOverMaxLength() {
        boolean dropped = false;
        if (maxLength >= 0 && overflow == QueueArguments.Overflow.DROP_HEAD) {
            while (ready.size() > maxLength) {
                deadLetterLater(ready.poll(), DeadLetters.MAXLEN);
                dropped = true;
            }
        }
        return dropped;
    }

    /** Removes expired messages from the head, then watches the deadline of the new head. */
    private void dropExpiredHeads() {
        QueueEntry head = ready.peek();
        if (head == null || head.expiresAt == QueueEntry.NEVER) {
            return;
        }
        long now = System.nanoTime();
        while (head != null && head.expiredAt(now)) {
            ready.poll();
            deadLetterLater(head, DeadLetters.EXPIRED);
            head = ready.peek();
        }
        if (head != null && head.expiresAt != QueueEntry.NEVER
                && (sweepAt == QueueEntry.NEVER || head.expiresAt - sweepAt < 0)) {
            sweepAt = head.expiresAt;
            broker.schedule(this::sweep, Math.max(0, head.expiresAt - now), TimeUnit.NANOSECONDS);
        }
    }

    private void deadLetterLater(QueueEntry entry, String reason) {
        if (deadLetterExchange != null) {
            if (dead == null) {
                dead = new ArrayList<>();
            }
            dead.add(new DeadLetter(entry, reason));
        }
    }

    private List<DeadLetter> takeDead() {
        List<DeadLetter> out = dead;
        dead = null;
        return out;
    }

    private void deadLetter(List<DeadLetter> toDeadLetter) {
        if (toDeadLetter != null) {
            broker.deadLettering(() -> {
                for (DeadLetter d : toDeadLetter) {
                    broker.deadLetter(this, d.entry(), d.reason());
                }
            });
        }
    }

    private long deadline(OutboundMessage message) {
        long ttl = messageTtlNanos;
        if (message.properties().expiration() != null) {
            long own = TimeUnit.MILLISECONDS.toNanos(Math.min(message.properties().expiration().toMillis(), MAX_TTL_MILLIS));
            ttl = ttl < 0 ? own : Math.min(ttl, own);
        }
        return ttl < 0 ? QueueEntry.NEVER : System.nanoTime() + ttl;
    }

    private int priority(OutboundMessage message) {
        Integer p = message.properties().priority();
        return maxPriority == 0 || p == null ? 0 : Math.min(p, maxPriority);
    }
}
