package io.seedmq.messaging.inmemory;

import io.seedmq.messaging.AccessRefusedException;
import io.seedmq.messaging.Binding;
import io.seedmq.messaging.ConnectionClosedException;
import io.seedmq.messaging.ConnectionException;
import io.seedmq.messaging.ConnectionListener;
import io.seedmq.messaging.Exchange;
import io.seedmq.messaging.MessagingException;
import io.seedmq.messaging.OperationTimeoutException;
import io.seedmq.messaging.Queue;
import io.seedmq.messaging.QueueInfo;
import io.seedmq.messaging.spi.Delivery;
import io.seedmq.messaging.spi.DeliveryListener;
import io.seedmq.messaging.spi.OutboundMessage;
import io.seedmq.messaging.spi.SubscribeOptions;
import io.seedmq.messaging.spi.Subscription;
import io.seedmq.messaging.spi.TransportCapability;
import io.seedmq.messaging.spi.TransportConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection to an {@link InMemoryBroker}. Every operation completes in the calling thread
 * without waiting on anything but short locks, so the operation timeout never comes into play;
 * only a waiting get waits, for at most its own timeout.
 */
final class InMemoryConnection implements TransportConnection {
    private static final Logger LOG = LoggerFactory.getLogger(InMemoryConnection.class);
    private static final Set<TransportCapability> CAPABILITIES = Set.of(TransportCapability.PUBLISHER_CONFIRMS);

    private final InMemoryBroker broker;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Written before {@link #closed} is set, read after it is seen set. */
    private volatile boolean closedByApplication;
    private volatile boolean open = true;
    /** Active subscriptions by consumer tag: a tag is unique among them. */
    private final Map<String, InMemorySubscription> active = new ConcurrentHashMap<>();
    /** Every subscription that may still hold unsettled deliveries, to requeue them on close. */
    private final Set<InMemorySubscription> holding = ConcurrentHashMap.newKeySet();
    private final Unacked gets;
    /** How long a publish waits while the broker's memory alarm blocks publishers. */
    private final Duration operationTimeout;
    private final AtomicLong getTags = new AtomicLong();
    private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();

    InMemoryConnection(InMemoryBroker broker, Duration operationTimeout) {
        this.broker = broker;
        this.gets = new Unacked(broker.memory());
        this.operationTimeout = operationTimeout;
    }

    InMemoryBroker broker() {
        return broker;
    }

    @Override
    public Set<TransportCapability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public void declareExchange(Exchange exchange) {
        ensureOpen();
        broker.declareExchange(exchange);
    }

    @Override
    public void checkExchange(String name) {
        ensureOpen();
        broker.checkExchange(name);
    }

    @Override
    public void deleteExchange(String name, boolean ifUnused) {
        ensureOpen();
        broker.deleteExchange(name, ifUnused);
    }

    @Override
    public QueueInfo declareQueue(Queue queue) {
        ensureOpen();
        return broker.declareQueue(this, queue);
    }

    @Override
    public QueueInfo checkQueue(String name) {
        ensureOpen();
        return broker.queueFor(this, name).info();
    }

    @Override
    public long deleteQueue(String name, boolean ifUnused, boolean ifEmpty) {
        ensureOpen();
        return broker.deleteQueue(this, name, ifUnused, ifEmpty);
    }

    @Override
    public long purgeQueue(String name) {
        ensureOpen();
        QueueState q = broker.queueFor(this, name);
        if (q.isStream()) {
            throw refuse("NOT_IMPLEMENTED - queue.purge not supported by stream queues queue '" + name + "' in vhost '/'");
        }
        return q.purge();
    }

    @Override
    public void bind(String queue, Binding binding) {
        ensureOpen();
        broker.bind(this, queue, binding);
    }

    @Override
    public void unbind(String queue, Binding binding) {
        ensureOpen();
        broker.unbind(this, queue, binding);
    }

    @Override
    public CompletableFuture<Void> publish(OutboundMessage message) {
        Objects.requireNonNull(message, "message");
        if (!open) {
            return CompletableFuture.failedFuture(closedException());
        }
        if (broker.memory().raised() && !awaitMemory()) {
            return CompletableFuture.failedFuture(new OperationTimeoutException("publish to exchange '"
                    + message.exchange() + "': the embedded broker blocks publishers (memory alarm: "
                    + broker.memory().used() + " bytes held, limit " + broker.memory().limit() + ") and did not "
                    + "unblock within " + operationTimeout));
        }
        try {
            broker.publish(wholeSecondTimestamp(message));
            return CompletableFuture.completedFuture(null);
        } catch (MessagingException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** AMQP carries timestamps in whole seconds; consumers must see what RabbitMQ would deliver. */
    private static OutboundMessage wholeSecondTimestamp(OutboundMessage message) {
        java.time.Instant ts = message.properties().timestamp();
        if (ts == null || ts.getNano() == 0) {
            return message;
        }
        return new OutboundMessage(message.exchange(), message.routingKey(),
                message.properties().toBuilder().timestamp(ts.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)).build(),
                message.body(), message.mandatory(), message.confirm());
    }

    @Override
    public Optional<Delivery> get(String queue, boolean autoAck) {
        ensureOpen();
        QueueState q = gettable(queue);
        QueueEntry entry = q.get();
        return entry == null ? Optional.empty() : Optional.of(delivery(q, entry, autoAck));
    }

    /** Waits on the queue itself: a message no consumer has room for is handed straight to the waiting thread. */
    @Override
    public Optional<Delivery> get(String queue, boolean autoAck, Duration timeout) {
        ensureOpen();
        QueueState q = gettable(queue);
        QueueEntry entry = q.get(this, timeout.toNanos());
        if (entry == null) {
            ensureOpen();
            return Optional.empty();
        }
        return Optional.of(delivery(q, entry, autoAck));
    }

    private QueueState gettable(String queue) {
        QueueState q = broker.queueFor(this, queue);
        if (q.isStream()) {
            throw refuse("NOT_IMPLEMENTED - basic.get not supported by stream queues queue '" + queue + "' in vhost '/'");
        }
        return q;
    }

    /** A basic.get's delivery of an entry taken from its queue, its bytes still counted by the memory alarm. */
    private InMemoryDelivery delivery(QueueState q, QueueEntry entry, boolean autoAck) {
        long tag = getTags.incrementAndGet();
        if (autoAck) {
            broker.memory().released(entry.size());
            return new InMemoryDelivery(q, entry, null, null, tag, null);
        }
        InMemoryDelivery d = new InMemoryDelivery(q, entry, null, gets, tag, null);
        gets.add(d, true);
        if (!open && d.claim()) {
            // closed while fetching: the close did not see this delivery, so give it back here
            gets.remove(d);
            q.requeueAll(null, List.of(entry));
            throw closedException();
        }
        return d;
    }

    @Override
    public Subscription subscribe(String queue, SubscribeOptions options, DeliveryListener listener) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(listener, "listener");
        ensureOpen();
        QueueState q = broker.queueFor(this, queue);
        String tag = options.consumerTag() == null || options.consumerTag().isEmpty()
                ? Names.consumerTag() : options.consumerTag();
        InMemorySubscription s = new InMemorySubscription(this, q, tag, options, listener, broker.deliveryPool());
        if (active.putIfAbsent(tag, s) != null) {
            throw new AccessRefusedException("NOT_ALLOWED - attempt to reuse consumer tag '" + tag + "'");
        }
        holding.add(s);
        try {
            q.addConsumer(s);
        } catch (RuntimeException e) {
            active.remove(tag, s);
            holding.remove(s);
            throw e;
        }
        if (!open) {
            s.closeWithConnection();
            throw closedException();
        }
        return s;
    }

    @Override
    public void addListener(ConnectionListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void removeListener(ConnectionListener listener) {
        listeners.remove(listener);
    }

    /** @return {@value InMemoryBroker#SERVER_VERSION}: the RabbitMQ whose defaults and quorum-queue counting the broker follows */
    @Override
    public Optional<String> serverVersion() {
        return Optional.of(InMemoryBroker.SERVER_VERSION);
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /** Closes the connection; listeners hear {@code onClosed} on the calling thread once it is done. */
    @Override
    public void close() {
        if (!closed.get()) {
            closedByApplication = true;
        }
        if (shutdown()) {
            for (ConnectionListener l : listeners) {
                try {
                    l.onClosed();
                } catch (RuntimeException e) {
                    LOG.warn("connection listener threw on close", e);
                }
            }
        }
    }

    /**
     * Waits, as RabbitMQ's blocked publishers do, for the memory alarm to clear.
     *
     * @return whether it cleared within the operation timeout
     */
    private boolean awaitMemory() {
        try {
            return broker.memory().awaitClear(operationTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Tells the listeners that the broker's memory alarm went off or cleared; called in order, on
     * the broker's scheduler thread.
     *
     * @param raised whether it went off
     */
    void memoryAlarm(boolean raised) {
        if (!open) {
            return;
        }
        for (ConnectionListener l : listeners) {
            try {
                if (raised) {
                    l.onBlocked("memory alarm: the embedded broker holds more than its limit of "
                            + broker.memory().limit() + " message bytes");
                } else {
                    l.onUnblocked();
                }
            } catch (RuntimeException e) {
                LOG.warn("connection listener threw on a memory alarm", e);
            }
        }
    }

    /**
     * Drops the connection as a network failure would; listeners hear {@code onConnectionLost},
     * then {@code onRecoveryFailed} (this transport does not recover), on a pool thread.
     */
    void lose(Throwable cause) {
        if (shutdown()) {
            List<ConnectionListener> snapshot = new ArrayList<>(listeners);
            Runnable notify = () -> {
                for (ConnectionListener l : snapshot) {
                    try {
                        l.onConnectionLost(cause);
                    } catch (RuntimeException e) {
                        LOG.warn("connection listener threw on connection loss", e);
                    }
                }
                // This transport does not recover: say so, so services go FAILED rather than wait forever.
                for (ConnectionListener l : snapshot) {
                    try {
                        l.onRecoveryFailed(cause);
                    } catch (RuntimeException e) {
                        LOG.warn("connection listener threw on recovery failure", e);
                    }
                }
            };
            if (!broker.runAsync(notify)) {
                notify.run();
            }
        }
    }

    /**
     * What RabbitMQ does with a method a queue type does not implement (540 NOT_IMPLEMENTED): it
     * closes the connection.
     *
     * @param reason the broker's words
     * @return the exception to throw to the caller
     */
    ConnectionException refuse(String reason) {
        ConnectionException refused = new ConnectionException(reason);
        lose(refused);
        return refused;
    }

    void subscriptionEnded(InMemorySubscription s) {
        active.remove(s.consumerTag(), s);
        if (!s.hasUnsettled()) {
            holding.remove(s);
        }
    }

    void release(InMemorySubscription s) {
        holding.remove(s);
    }

    private boolean shutdown() {
        if (!closed.compareAndSet(false, true)) {
            return false;
        }
        open = false;
        for (InMemorySubscription s : holding) {
            s.closeWithConnection();
        }
        active.clear();
        holding.clear();
        Map<QueueState, List<QueueEntry>> back = new LinkedHashMap<>();
        for (InMemoryDelivery d : gets.claimAll()) {
            back.computeIfAbsent(d.queue, q -> new ArrayList<>()).add(d.entry);
        }
        back.forEach((q, entries) -> q.requeueAll(null, entries));
        broker.connectionClosed(this);
        return true;
    }

    private void ensureOpen() {
        if (!open) {
            throw closedException();
        }
    }

    private ConnectionException closedException() {
        return closedByApplication ? new ConnectionClosedException("the application closed the connection")
                : new ConnectionException("the connection was lost; this transport does not recover");
    }
}
