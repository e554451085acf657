package io.seedmq.messaging.internal;

import io.seedmq.messaging.AckMode;
import io.seedmq.messaging.Binding;
import io.seedmq.messaging.Connection;
import io.seedmq.messaging.ConnectionClosedException;
import io.seedmq.messaging.ConnectionException;
import io.seedmq.messaging.ConnectionListener;
import io.seedmq.messaging.ConnectionOptions;
import io.seedmq.messaging.Consumer;
import io.seedmq.messaging.ConsumerOptions;
import io.seedmq.messaging.Exchange;
import io.seedmq.messaging.Message;
import io.seedmq.messaging.MessageHandler;
import io.seedmq.messaging.Producer;
import io.seedmq.messaging.PublishWindow;
import io.seedmq.messaging.Queue;
import io.seedmq.messaging.QueueInfo;
import io.seedmq.messaging.SimpleQueue;
import io.seedmq.messaging.observation.ConnectionHealth;
import io.seedmq.messaging.retry.RetryPolicy;
import io.seedmq.messaging.serialization.SerializerRegistry;
import io.seedmq.messaging.spi.ThreadFactories;
import io.seedmq.messaging.spi.TransportConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link Connection} on a transport connection. */
public final class DefaultConnection implements Connection {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultConnection.class);

    private final ConnectionOptions options;
    private final TransportConnection transport;
    private final SerializerRegistry serializers = SerializerRegistry.defaults();
    private final Set<Object> declared = ConcurrentHashMap.newKeySet();
    /** Changes after something is forgotten from {@link #declared}, so callers may cache that they declared. */
    private final AtomicInteger declaredEpoch = new AtomicInteger();
    private final Set<DefaultConsumer> consumers = ConcurrentHashMap.newKeySet();
    private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Map<List<Object>, AutoCloseable> shared = new LinkedHashMap<>();
    private final Producer producer;
    private final ConnectionMonitor monitor = new ConnectionMonitor();
    private final Observations observations;
    private ScheduledThreadPoolExecutor scheduler;

    /**
     * @param options the options the transport was opened with
     * @param transport an open transport connection, owned from now on
     */
    public DefaultConnection(ConnectionOptions options, TransportConnection transport) {
        this.options = Objects.requireNonNull(options, "options");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.observations = new Observations(options);
        this.producer = observations.enabled() ? new ObservedProducer(new DefaultProducer(this), observations)
                : new DefaultProducer(this);
        // First, so the health view has changed by the time the application's listeners hear of it.
        transport.addListener(monitor);
        transport.addListener(new ConnectionListener() {
            @Override
            public void onConnectionLost(Throwable cause) {
                // What was declared may be gone with the broker (exclusive and auto-delete entities, a restart).
                forgetDeclared(e -> true);
                fire(l -> l.onConnectionLost(cause));
            }

            @Override
            public void onRecovered() {
                forgetDeclared(e -> true);
                fire(ConnectionListener::onRecovered);
            }

            @Override
            public void onRecoveryFailed(Throwable cause) {
                fire(l -> l.onRecoveryFailed(cause));
            }

            @Override
            public void onBlocked(String reason) {
                fire(l -> l.onBlocked(reason));
            }

            @Override
            public void onUnblocked() {
                fire(ConnectionListener::onUnblocked);
            }

            @Override
            public void onClosed() {
                fire(ConnectionListener::onClosed);
            }
        });
    }

    /**
     * @param connection a connection made by {@link Connection#open}
     * @return it, as the layers built on the API (RPC, notifications) reach its internals
     * @throws IllegalArgumentException when it is not seedmq's own (a wrapper or a test double)
     */
    public static DefaultConnection of(Connection connection) {
        if (connection instanceof DefaultConnection c) {
            return c;
        }
        throw new IllegalArgumentException("not a connection opened by Connection.open: " + connection);
    }

    /**
     * The connection's one scheduler thread, for timeouts, heartbeats, batch timers and the waits
     * between retries: short tasks only, never a handler. Made on first use from the options'
     * thread factory; shut down when the connection closes.
     *
     * @return the scheduler
     */
    public ScheduledExecutorService scheduler() {
        synchronized (shared) {
            if (scheduler == null) {
                ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1,
                        ThreadFactories.factory(options.threadFactory(), "scheduler"));
                // Cancelled timeouts leave the queue at once, so millions of calls leave nothing behind.
                s.setRemoveOnCancelPolicy(true);
                scheduler = s;
            }
            return scheduler;
        }
    }

    /** @return the window of unconfirmed asynchronous publishes, also once the connection is closed */
    public PublishWindow publishWindow() {
        return producer.window();
    }

    /** @return the connection's status, services and counts of rare events */
    public ConnectionMonitor monitor() {
        return monitor;
    }

    /** @return how operations on this connection are observed */
    public Observations observations() {
        return observations;
    }

    @Override
    public ConnectionHealth health() {
        return monitor.health();
    }

    /** Tells every application listener, each on its own: one that throws does not silence the others. */
    private void fire(java.util.function.Consumer<ConnectionListener> event) {
        for (ConnectionListener listener : listeners) {
            try {
                event.accept(listener);
            } catch (RuntimeException e) {
                LOG.warn("connection listener {} threw", listener, e);
            }
        }
    }

    /** @return the transport connection underneath */
    public TransportConnection transport() {
        return transport;
    }

    @Override
    public ConnectionOptions options() {
        return options;
    }

    @Override
    public SerializerRegistry serializers() {
        return serializers;
    }

    @Override
    public Producer producer() {
        ensureOpen();
        return producer;
    }

    @Override
    public Consumer consumer(ConsumerOptions consumerOptions, MessageHandler handler) {
        ensureOpen();
        return DefaultConsumer.forApplication(this, consumerOptions, handler);
    }

    @Override
    public SimpleQueue simpleQueue(String name) {
        ensureOpen();
        return DefaultSimpleQueue.queue(this, name);
    }

    @Override
    public SimpleQueue simpleBuffer(String name) {
        ensureOpen();
        return DefaultSimpleQueue.buffer(this, name);
    }

    @Override
    public void declare(Exchange exchange) {
        declare(exchange, options.retryPolicy());
    }

    @Override
    public QueueInfo declare(Queue queue) {
        return declare(queue, options.retryPolicy());
    }

    /**
     * @param exchange the exchange
     * @param policy the one policy the declaration runs under: the caller's
     */
    void declare(Exchange exchange, RetryPolicy policy) {
        ensureOpen();
        if (exchange.isDefault()) {
            return;
        }
        policy.run("declare " + exchange, () -> transport.declareExchange(exchange));
        declared.add(exchange);
    }

    /**
     * Declares a queue, its bindings' exchanges and its bindings, as one operation under one
     * policy: each attempt makes every step once, so the policy alone bounds the whole.
     *
     * @param queue the queue
     * @param policy the caller's policy
     * @return its actual name and counts
     */
    QueueInfo declare(Queue queue, RetryPolicy policy) {
        ensureOpen();
        QueueInfo info = policy.execute("declare " + queue, () -> {
            QueueInfo made = transport.declareQueue(queue);
            for (Binding binding : queue.bindings()) {
                declareOnce(binding.exchange(), RetryPolicy.none());
                transport.bind(made.name(), binding);
            }
            return made;
        });
        if (!queue.isServerNamed()) {
            declared.add(queue);
        }
        return info;
    }

    /**
     * @return a number that changes whenever a declaration is forgotten (recovery, deletion): a
     *     caller that saw every entity of a set declared under one epoch may skip checking them
     *     again while the epoch stays the same; read it before checking
     */
    int declaredEpoch() {
        return declaredEpoch.get();
    }

    /** Forgets declarations, then moves the epoch on, so a cache checked under the old epoch is retired. */
    private void forgetDeclared(Predicate<Object> which) {
        declared.removeIf(which);
        declaredEpoch.incrementAndGet();
    }

    /**
     * Declares an exchange or a queue unless this connection already did since it was last
     * (re)established.
     *
     * @param entity an {@link Exchange} or a {@link Queue}
     * @param policy the caller's policy: the operation's own, or {@link RetryPolicy#none()} inside
     *     an attempt of an operation that retries as a whole
     */
    void declareOnce(Object entity, RetryPolicy policy) {
        if (declared.contains(entity)) {
            return;
        }
        if (entity instanceof Exchange exchange) {
            declare(exchange, policy);
        } else if (entity instanceof Queue queue) {
            declare(queue, policy);
        } else {
            throw new IllegalArgumentException("cannot declare " + entity);
        }
    }

    @Override
    public void bind(String queue, Binding binding) {
        ensureOpen();
        options.retryPolicy().run("bind " + queue + " to " + binding.exchange().name(), () -> {
            declareOnce(binding.exchange(), RetryPolicy.none());
            transport.bind(queue, binding);
        });
    }

    @Override
    public void unbind(String queue, Binding binding) {
        ensureOpen();
        options.retryPolicy().run("unbind " + queue + " from " + binding.exchange().name(),
                () -> transport.unbind(queue, binding));
    }

    @Override
    public QueueInfo queueInfo(String queue) {
        ensureOpen();
        return options.retryPolicy().execute("inspect queue " + queue, () -> transport.checkQueue(queue));
    }

    @Override
    public void checkExchange(String exchange) {
        ensureOpen();
        options.retryPolicy().run("check exchange " + exchange, () -> transport.checkExchange(exchange));
    }

    @Override
    public long purge(String queue) {
        ensureOpen();
        return options.retryPolicy().execute("purge " + queue, () -> transport.purgeQueue(queue));
    }

    @Override
    public long deleteQueue(String queue) {
        return deleteQueue(queue, false, false);
    }

    @Override
    public long deleteQueue(String queue, boolean ifUnused, boolean ifEmpty) {
        ensureOpen();
        forgetDeclared(e -> e instanceof Queue q && q.name().equals(queue));
        return options.retryPolicy().execute("delete queue " + queue, () -> transport.deleteQueue(queue, ifUnused, ifEmpty));
    }

    @Override
    public void deleteExchange(String exchange, boolean ifUnused) {
        ensureOpen();
        forgetDeclared(e -> e instanceof Exchange x && x.name().equals(exchange));
        options.retryPolicy().run("delete exchange " + exchange, () -> transport.deleteExchange(exchange, ifUnused));
    }

    @Override
    public Optional<Message> get(String queue, AckMode ackMode) {
        ensureOpen();
        boolean autoAck = ackMode == AckMode.AUTO;
        return transport.get(queue, autoAck).map(d -> new DefaultMessage(d, serializers, autoAck));
    }

    /** As {@link #get(String, AckMode)}, waiting up to {@code timeout} for a message on the transport's queue. */
    Optional<Message> get(String queue, AckMode ackMode, Duration timeout) {
        ensureOpen();
        boolean autoAck = ackMode == AckMode.AUTO;
        return transport.get(queue, autoAck, timeout).map(d -> new DefaultMessage(d, serializers, autoAck));
    }

    @Override
    public void addListener(ConnectionListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void removeListener(ConnectionListener listener) {
        listeners.remove(listener);
    }

    @Override
    public boolean isOpen() {
        return !closed.get() && transport.isOpen();
    }

    @Override
    public Optional<String> serverVersion() {
        return transport.serverVersion();
    }

    /**
     * The connection's single instance of a service built on it for a key, created on first use
     * and closed (before the transport) when the connection closes. The RPC client keeps its one
     * reply queue per topology this way.
     *
     * @param type the service's type
     * @param key what tells instances of the type apart (an immutable value)
     * @param factory creates it, once per key, from this connection; must not call {@code shared} itself
     * @param <T> the service's type
     * @return the instance for this connection and key
     * @throws ConnectionException when the connection is closed
     */
    public <T extends AutoCloseable> T shared(Class<T> type, Object key,
                                              Function<? super Connection, ? extends T> factory) {
        List<Object> id = List.of(type, key);
        synchronized (shared) {
            ensureOpen();
            if (closing.get()) {
                throw new ConnectionClosedException("connection to " + options.redactedUrl() + " is closing");
            }
            AutoCloseable existing = shared.get(id);
            if (existing != null) {
                return type.cast(existing);
            }
            T created = Objects.requireNonNull(factory.apply(this), "factory returned null");
            shared.put(id, created);
            return created;
        }
    }

    @Override
    public void close() {
        PublishWindow window = producer.window();
        if (window.unconfirmed() > 0 && !closing.get()) {
            // One line for all of them: each fails with ConnectionClosedException and is not retried.
            LOG.info("closing {} with {} publishes awaiting their confirm; they fail with ConnectionClosedException",
                    this, window.unconfirmed());
        }
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        List<AutoCloseable> services;
        synchronized (shared) {
            services = new ArrayList<>(shared.values());
            shared.clear();
        }
        // Services close while the connection still works, so they can tidy up on the broker.
        for (int i = services.size() - 1; i >= 0; i--) {
            AutoCloseable service = services.get(i);
            try {
                service.close();
            } catch (Exception e) {
                LOG.debug("closing {} on close failed", service, e);
            }
        }
        closed.set(true);
        monitor.closed();
        for (DefaultConsumer consumer : consumers) {
            try {
                // Handlers still running finish on their own; what they hold is redelivered.
                consumer.stop(Duration.ZERO);
            } catch (RuntimeException e) {
                LOG.debug("stopping {} on close failed", consumer, e);
            }
        }
        transport.close();
        synchronized (shared) {
            if (scheduler != null) {
                scheduler.shutdownNow();
            }
        }
    }

    /** @return messages the connection's consumers have taken and not yet done with: running, or waiting for a handler thread */
    public int activeHandlers() {
        int sum = 0;
        for (DefaultConsumer consumer : consumers) {
            sum += consumer.inFlight();
        }
        return sum;
    }

    void register(DefaultConsumer consumer) {
        consumers.add(consumer);
    }

    void unregister(DefaultConsumer consumer) {
        consumers.remove(consumer);
    }

    void ensureOpen() {
        if (closed.get()) {
            throw new ConnectionClosedException("connection to " + options.redactedUrl() + " is closed");
        }
    }

    @Override
    public String toString() {
        return "Connection[" + options.redactedUrl() + (closed.get() ? ", closed" : "") + "]";
    }
}
