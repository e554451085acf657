package io.seedmq.messaging.inmemory;

import io.seedmq.messaging.spi.DeliveryListener;
import io.seedmq.messaging.spi.SubscribeOptions;
import io.seedmq.messaging.spi.Subscription;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer on a queue. The queue pushes deliveries into a mailbox under its lock; a serial actor
 * on the broker's delivery pool drains the mailbox in batches into the listener, so deliveries of
 * one subscription are ordered and one slow listener holds up no other subscription.
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
    final Unacked unacked = new Unacked();

    private final ConcurrentLinkedQueue<Object> mailbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile boolean active = true;

    /** Unsettled deliveries counted against the prefetch; guarded by the queue's lock. */
    private int inFlight;
    /** Last delivery tag given; guarded by the queue's lock. */
    private long lastTag;

    InMemorySubscription(InMemoryConnection connection, QueueState queue, String tag, SubscribeOptions options,
                         DeliveryListener listener, Executor executor) {
        this.connection = connection;
        this.queue = queue;
        this.tag = tag;
        this.autoAck = options.autoAck();
        this.exclusive = options.exclusive();
        this.prefetch = options.prefetch();
        this.listener = listener;
        this.executor = executor;
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
        returnMailbox(null);
        if (autoDelete) {
            connection.broker().autoDelete(queue);
        }
    }

    /** The connection closes: stop and give every unsettled delivery back to the queue. */
    void closeWithConnection() {
        ended.set(true);
        active = false;
        boolean autoDelete = queue.removeConsumer(this);
        mailbox.clear();
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
        mailbox.offer(CANCELLED_BY_BROKER);
        schedule();
    }

    boolean hasCapacity() {
        return autoAck || prefetch == 0 || inFlight < prefetch;
    }

    /** Called by the queue, under its lock. */
    void dispatch(QueueEntry entry) {
        long deliveryTag = ++lastTag;
        InMemoryDelivery d;
        if (autoAck) {
            d = new InMemoryDelivery(queue, entry, this, null, deliveryTag, tag);
        } else {
            inFlight++;
            d = new InMemoryDelivery(queue, entry, this, unacked, deliveryTag, tag);
            unacked.add(d);
        }
        mailbox.offer(d);
        schedule();
    }

    /** Called by the queue, under its lock, for each delivery settled or taken back. */
    void settled() {
        if (!autoAck) {
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

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException e) {
                scheduled.set(false);
                LOG.debug("broker stopped; dropping deliveries for consumer '{}'", tag);
            }
        }
    }

    private void drain() {
        int handled = 0;
        Object item;
        while (handled++ < BATCH && (item = mailbox.poll()) != null) {
            if (item == CANCELLED_BY_BROKER) {
                notifyCancelled();
            } else if (active) {
                deliver((InMemoryDelivery) item);
            } else {
                returnMailbox((InMemoryDelivery) item);
            }
        }
        scheduled.set(false);
        if (!mailbox.isEmpty()) {
            schedule();
        }
    }

    private void returnMailbox(InMemoryDelivery first) {
        List<QueueEntry> back = new ArrayList<>();
        if (first != null && first.claim()) {
            unacked.remove(first);
            back.add(first.entry);
        }
        Object item;
        while ((item = mailbox.peek()) != null && item != CANCELLED_BY_BROKER) {
            mailbox.poll();
            InMemoryDelivery d = (InMemoryDelivery) item;
            if (d.claim()) {
                unacked.remove(d);
                back.add(d.entry);
            }
        }
        queue.requeueAll(this, back);
        afterSettle();
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
