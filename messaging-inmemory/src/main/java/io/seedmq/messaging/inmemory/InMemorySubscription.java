package io.seedmq.messaging.inmemory;

import io.seedmq.messaging.StreamOffset;
import io.seedmq.messaging.spi.DeliveryListener;
import io.seedmq.messaging.spi.SubscribeOptions;
import io.seedmq.messaging.spi.Subscription;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer on a queue. The queue pushes deliveries into a mailbox under its lock; a serial actor
 * on the broker's delivery pool drains the mailbox in batches into the listener, so deliveries of
 * one subscription are ordered and one slow listener holds up no other subscription.
 *
 * <p>The mailbox is a plain deque behind a small lock: the actor takes everything posted at once
 * (swapping deques) and works through it privately, so publisher and actor meet once per batch
 * rather than once per message, and a post allocates nothing. The pool task is submitted only when
 * the actor is idle.
 */
final class InMemorySubscription implements Subscription {
    private static final Logger LOG = LoggerFactory.getLogger(InMemorySubscription.class);
    /** Deliveries handed over per turn on the pool before yielding it to other subscriptions. */
    private static final int BATCH = 256;
    private static final Object CANCELLED_BY_BROKER = new Object();

    private final InMemoryConnection connection;
    final QueueState queue;
    private final String tag;
    final boolean autoAck;
    final boolean exclusive;
    private final int prefetch;
    private final DeliveryListener listener;
    private final Executor executor;
    final Unacked unacked;

    /** Guards {@link #mailbox} and {@link #scheduled}. */
    private final Object mailboxLock = new Object();
    private ArrayDeque<Object> mailbox = new ArrayDeque<>();
    /** Whether the actor is submitted or running; it then sees whatever is posted. */
    private boolean scheduled;
    /** What the actor took from the mailbox and has not handed over yet; touched by the actor only. */
    private ArrayDeque<Object> batch = new ArrayDeque<>();
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile boolean active = true;
    /** The connection closed: what is still queued for the listener is dropped, not handed over. */
    private volatile boolean discard;

    /** Unsettled deliveries counted against a prefetch (none without one); guarded by the queue's lock. */
    private int inFlight;
    /** Last delivery tag given; guarded by the queue's lock. */
    private long lastTag;
    /** The consumer's {@code x-priority} (0 by default). */
    final int priority;
    /** Where a stream consumer starts ({@code x-stream-offset}); {@code null} on other queue types. */
    final StreamOffset streamOffset;
    /** A stream consumer's next offset to read; guarded by the queue's lock. */
    long streamCursor;

    InMemorySubscription(InMemoryConnection connection, QueueState queue, String tag, SubscribeOptions options,
                         DeliveryListener listener, Executor executor) {
        this.connection = connection;
        this.unacked = new Unacked(connection.broker().memory(), queue);
        this.queue = queue;
        this.tag = tag;
        this.autoAck = options.autoAck();
        this.exclusive = options.exclusive();
        this.prefetch = options.prefetch();
        this.listener = listener;
        this.executor = executor;
        this.priority = options.arguments().get("x-priority") instanceof Number n ? n.intValue() : 0;
        if (queue.isStream()) {
            try {
                this.streamOffset = StreamOffset.parse(options.arguments().get("x-stream-offset"));
            } catch (IllegalArgumentException e) {
                // RabbitMQ closes the connection on an offset it cannot read.
                throw connection.refuse("INTERNAL_ERROR - " + e.getMessage());
            }
        } else {
            this.streamOffset = null;
        }
    }

    /** A stream delivery was rejected: RabbitMQ closes the connection for that. */
    void rejectedOnStream() {
        connection.refuse("NOT_IMPLEMENTED - basic.nack and basic.reject not supported by stream queues queue '"
                + queue.name() + "' in vhost '/'");
    }

    @Override
    public String consumerTag() {
        return tag;
    }

    @Override
    public String queue() {
        return queue.name();
    }

    @Override
    public boolean isActive() {
        return active;
    }

    /**
     * Stops deliveries; messages queued for the listener but not handed over go back to the queue,
     * messages handed over stay unsettled until settled or the connection closes.
     */
    @Override
    public void cancel() {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        active = false;
        boolean autoDelete = queue.removeConsumer(this);
        connection.subscriptionEnded(this);
        returnMailbox();
        if (autoDelete) {
            connection.broker().autoDelete(queue);
        }
    }

    /** The connection closes: stop and give every unsettled delivery back to the queue. */
    void closeWithConnection() {
        ended.set(true);
        active = false;
        discard = true;
        boolean autoDelete = queue.removeConsumer(this);
        synchronized (mailboxLock) {
            mailbox.clear();
        }
        List<QueueEntry> back = new ArrayList<>();
        for (InMemoryDelivery d : unacked.claimAll()) {
            back.add(d.entry);
        }
        queue.requeueAll(this, back);
        if (autoDelete) {
            connection.broker().autoDelete(queue);
        }
    }

    /** The queue was deleted: stop, forget unsettled deliveries, and tell the listener after what it already has. */
    void cancelledByBroker() {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        active = false;
        unacked.claimAll();
        connection.subscriptionEnded(this);
        post(CANCELLED_BY_BROKER);
    }

    boolean hasPrefetch() {
        return prefetch > 0;
    }

    boolean hasCapacity() {
        return autoAck || prefetch == 0 || inFlight < prefetch;
    }

    /**
     * Called by the queue, under its lock.
     *
     * @param held whether the entry's bytes are still counted by the memory alarm (taken from the
     *     ready messages): the unsettled delivery holds them on, an automatically acknowledged one lets them go
     */
    void dispatch(QueueEntry entry, boolean held) {
        long deliveryTag = ++lastTag;
        InMemoryDelivery d;
        if (autoAck) {
            d = new InMemoryDelivery(queue, entry, this, null, deliveryTag, tag);
            if (held) {
                connection.broker().memory().released(entry.size());
            }
        } else {
            if (prefetch > 0) {
                inFlight++;
            }
            d = new InMemoryDelivery(queue, entry, this, unacked, deliveryTag, tag);
            unacked.addLocked(d, held);
        }
        post(d);
    }

    /** Called by the queue, under its lock, for each delivery settled or taken back. */
    void settled() {
        if (!autoAck && prefetch > 0) {
            inFlight--;
        }
    }

    void afterSettle() {
        if (!active && unacked.isEmpty()) {
            connection.release(this);
        }
    }

    boolean hasUnsettled() {
        return !unacked.isEmpty();
    }

    private void post(Object item) {
        boolean submit;
        synchronized (mailboxLock) {
            mailbox.addLast(item);
            submit = !scheduled;
            scheduled = true;
        }
        if (submit) {
            submit();
        }
    }

    private void submit() {
        try {
            executor.execute(this::drain);
        } catch (RejectedExecutionException e) {
            synchronized (mailboxLock) {
                scheduled = false;
            }
            LOG.debug("broker stopped; dropping deliveries for consumer '{}'", tag);
        }
    }

    /**
     * One turn of the actor: at most {@link #BATCH} items, then the pool goes to others if more wait.
     * Whenever its private batch runs out it takes what was posted meanwhile, in the same lock
     * acquisition that finds the mailbox empty and marks the actor idle. So it goes back to the pool
     * only after {@link #BATCH} items or when idle: resubmitting itself whenever its batch ran out
     * cost a pool submission, often waking a second pool thread, per handful of messages.
     */
    private void drain() {
        for (int handled = 0; handled < BATCH; handled++) {
            Object item = batch.poll();
            if (item == null) {
                synchronized (mailboxLock) {
                    if (mailbox.isEmpty()) {
                        scheduled = false;
                        return;
                    }
                    ArrayDeque<Object> posted = mailbox;
                    mailbox = batch;
                    batch = posted;
                }
                item = batch.poll();
            }
            if (discard) {
                batch.clear();
            } else if (item == CANCELLED_BY_BROKER) {
                notifyCancelled();
            } else if (active) {
                deliver((InMemoryDelivery) item);
            } else {
                batch.addFirst(item);
                returnBatch();
            }
        }
        submit();
    }

    /**
     * Cancelled: the actor gives back what it took and what is still posted, in delivery order, up
     * to a broker cancellation (which it still reports).
     */
    private void returnBatch() {
        List<QueueEntry> back = new ArrayList<>();
        Object item;
        while ((item = batch.peek()) != null && item != CANCELLED_BY_BROKER) {
            batch.poll();
            claimBack((InMemoryDelivery) item, back);
        }
        if (batch.isEmpty()) {
            takePosted(back);
        }
        queue.requeueAll(this, back);
        afterSettle();
    }

    /** Cancelled from outside the actor: gives back what is posted and not yet taken by the actor. */
    private void returnMailbox() {
        List<QueueEntry> back = new ArrayList<>();
        takePosted(back);
        queue.requeueAll(this, back);
        afterSettle();
    }

    private void takePosted(List<QueueEntry> back) {
        List<InMemoryDelivery> taken = new ArrayList<>();
        synchronized (mailboxLock) {
            Object item;
            while ((item = mailbox.peek()) != null && item != CANCELLED_BY_BROKER) {
                mailbox.poll();
                taken.add((InMemoryDelivery) item);
            }
        }
        // Claimed after the mailbox lock is let go: the ledger's lock is the queue's, which a
        // publisher holds while it posts, so taking it under the mailbox lock could deadlock.
        for (InMemoryDelivery d : taken) {
            claimBack(d, back);
        }
    }

    private void claimBack(InMemoryDelivery d, List<QueueEntry> back) {
        if (d.claim()) {
            unacked.remove(d);
            back.add(d.entry);
        }
    }

    private void deliver(InMemoryDelivery d) {
        try {
            listener.onDelivery(d);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            LOG.warn("listener of consumer '{}' on queue '{}' threw; going on with the next delivery",
                    tag, queue.name(), e);
        }
    }

    private void notifyCancelled() {
        try {
            listener.onCancelledByBroker();
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            LOG.warn("listener of consumer '{}' threw on cancellation", tag, e);
        }
    }
}
