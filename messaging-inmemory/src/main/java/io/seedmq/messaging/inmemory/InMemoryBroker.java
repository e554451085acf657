package io.seedmq.messaging.inmemory;

import io.seedmq.messaging.AccessRefusedException;
import io.seedmq.messaging.Binding;
import io.seedmq.messaging.ConnectionException;
import io.seedmq.messaging.ConnectionOptions;
import io.seedmq.messaging.DeclarationConflictException;
import io.seedmq.messaging.DeprecatedFeature;
import io.seedmq.messaging.DeprecatedFeatureException;
import io.seedmq.messaging.EntityNotFoundException;
import io.seedmq.messaging.Exchange;
import io.seedmq.messaging.ExchangeType;
import io.seedmq.messaging.PublishRejectedException;
import io.seedmq.messaging.Queue;
import io.seedmq.messaging.QueueInfo;
import io.seedmq.messaging.QueueType;
import io.seedmq.messaging.UndeliverableException;
import io.seedmq.messaging.spi.OutboundMessage;
import io.seedmq.messaging.spi.TransportConnection;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded message broker with RabbitMQ's semantics, behind {@code memory://} URLs: direct,
 * fanout, topic and headers exchanges, the default exchange, exclusive, auto-delete and expiring
 * queues, prefetch, requeue and redelivery, message TTL, max-length, dead-lettering and priorities.
 *
 * <p>Queues behave as RabbitMQ's classic queues, including where that surprises: a requeued
 * message goes back to its original place, not to the head of the queue; an expired message (by
 * queue TTL or its own expiration) leaves the queue only when it reaches the head, so until then
 * it still counts in the message count, in a purge and towards {@code x-max-length}, exactly as on
 * RabbitMQ, and it is dead-lettered at that moment; a requeue into a full {@code drop-head} queue
 * drops from the head. As on RabbitMQ, a priority queue checks the head for expiry only when a
 * FIFO queue's head could have changed, so an expired message of higher priority published behind
 * another may still be counted, and got, until the next fetch or requeue.
 *
 * <p><b>Nothing is durable.</b> The {@code durable} and {@code persistent} flags are recorded (a
 * re-declaration must match them, as on RabbitMQ) but every exchange, queue and message lives in
 * this JVM's memory only and is gone when the JVM exits, or when {@link #reset()} or
 * {@link #delete()} is called.
 *
 * <p><b>RabbitMQ 4.3's defaults.</b> As RabbitMQ 4.3 out of the box, the broker refuses a queue that
 * is neither durable nor exclusive, and {@code x-queue-master-locator}, with
 * {@link DeprecatedFeatureException} (RabbitMQ's 541 text; the connection stays open here), unless
 * {@linkplain #permit(DeprecatedFeature, boolean) permitted}; and it refuses {@code x-queue-mode}
 * and {@code x-queue-version: 1} (classic queue storage v1, removed in 4.3) with
 * {@code DeclarationConflictException}. A suite that passes here declares nothing RabbitMQ 4.3
 * refuses, even when the RabbitMQ it also runs on is older. Its quorum queues count as 4.3's do
 * ({@code x-delivery-count} for failed deliveries only, {@code x-acquired-count} for every return,
 * a delivery limit of 20 unless declared), and its connections report {@value #SERVER_VERSION}
 * as {@code Connection.serverVersion()}.
 *
 * <p>{@code memory://} connects to the {@linkplain #defaultBroker() default broker}, shared by
 * everything in the JVM; {@code memory://name} connects to the {@linkplain #named(String) named
 * broker}, created on first use, so tests can isolate themselves from each other.
 *
 * <p>Thread-safe. Deliveries run on one shared pool per broker ({@code max(2, cores)} daemon
 * threads); message expiry and queue expiry on one shared scheduler thread per broker.
 */
public final class InMemoryBroker {
    /** The RabbitMQ version this broker behaves as, and reports to its connections. */
    public static final String SERVER_VERSION = "4.3.0";

    private static final Logger LOG = LoggerFactory.getLogger(InMemoryBroker.class);
    private static final ConcurrentHashMap<String, InMemoryBroker> BROKERS = new ConcurrentHashMap<>();
    private static final String DEFAULT_NAME = "";
    /** How many alternate exchanges a message may fall through, as a guard against cycles. */
    private static final int MAX_ALTERNATES = 8;
    /** Dead letters waiting, on this thread, for the operation that caused them to finish. */
    private static final ThreadLocal<ArrayDeque<Runnable>> DEAD_LETTERS = new ThreadLocal<>();

    private final String name;
    private final ForkJoinPool deliveryPool;
    private final ScheduledThreadPoolExecutor scheduler;
    /** Guards declarations and deletions; publishing and consuming never take it. */
    private final Object topology = new Object();
    private final ConcurrentHashMap<String, ExchangeState> exchanges = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, QueueState> queues = new ConcurrentHashMap<>();
    private final Set<InMemoryConnection> connections = ConcurrentHashMap.newKeySet();
    private volatile boolean deleted;
    private final MemoryAlarm memory = new MemoryAlarm(this::memoryAlarm);
    private final DeprecatedFeatures deprecatedFeatures = new DeprecatedFeatures();

    private InMemoryBroker(String name) {
        this.name = name;
        String prefix = "seedmq-memory-" + (name.isEmpty() ? "default" : name);
        AtomicInteger threads = new AtomicInteger();
        ForkJoinPool.ForkJoinWorkerThreadFactory factory = pool -> {
            ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
            t.setName(prefix + "-delivery-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.deliveryPool = new ForkJoinPool(Math.max(2, Runtime.getRuntime().availableProcessors()), factory,
                (t, e) -> LOG.error("uncaught exception on {}", t.getName(), e), true);
        this.scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, prefix + "-scheduler");
            t.setDaemon(true);
            return t;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        scheduler.setKeepAliveTime(30, TimeUnit.SECONDS);
        scheduler.allowCoreThreadTimeOut(true);
        predeclare();
    }

    /** @return the JVM's default broker, the one {@code memory://} connects to; never {@code null} */
    public static InMemoryBroker defaultBroker() {
        return named(DEFAULT_NAME);
    }

    /**
     * @param name the broker's name, as in {@code memory://name}; "" is the default broker
     * @return the broker of that name, created empty (but for the {@code amq.*} exchanges) on first use
     */
    public static InMemoryBroker named(String name) {
        Objects.requireNonNull(name, "name");
        return BROKERS.computeIfAbsent(name, InMemoryBroker::new);
    }

    /** @return this broker's name, "" for the default broker */
    public String name() {
        return name;
    }

    /**
     * Opens a connection to this broker directly, without a URL. Equivalent to connecting to
     * {@code memory://name} through the API.
     *
     * @return an open connection
     * @throws ConnectionException if this broker was {@linkplain #delete() deleted}
     */
    public TransportConnection connect() {
        return connect(ConnectionOptions.DEFAULT_OPERATION_TIMEOUT);
    }

    /**
     * @param operationTimeout how long a publish waits while the memory alarm blocks publishers
     * @return an open connection
     * @throws ConnectionException if this broker was {@linkplain #delete() deleted}
     */
    TransportConnection connect(Duration operationTimeout) {
        if (deleted) {
            throw new ConnectionException("embedded broker '" + name + "' was deleted");
        }
        InMemoryConnection c = new InMemoryConnection(this, operationTimeout);
        connections.add(c);
        return c;
    }

    /**
     * Sets the memory limit, as {@code rabbitmqctl set_vm_memory_high_watermark} sets RabbitMQ's:
     * while the bodies of the messages this broker holds (ready, or delivered and not settled) add
     * up to more, publishers are blocked (a publish waits for the alarm to clear, at most its
     * connection's operation timeout, then fails with {@code OperationTimeoutException}) and every
     * connection hears {@code onBlocked}; once they are back at or below it, {@code onUnblocked}.
     * The default is a quarter of the JVM's maximum heap, so a runaway publisher in a test fails
     * the test rather than the JVM.
     *
     * @param bytes the limit, in message body bytes
     */
    public void memoryLimit(long bytes) {
        memory.limit(bytes);
    }

    /**
     * Permits or denies a deprecated feature, as RabbitMQ's {@code deprecated_features.permit.<name>}
     * configuration key does for a node (the URL parameter of that name, {@code
     * memory://name?deprecated_features.permit.transient_nonexcl_queues=true}, sets it when a
     * connection opens). Every feature is denied until permitted, as on RabbitMQ 4.3. Broker-wide
     * and kept across {@link #reset()}; applies to declarations made after it returns.
     *
     * @param feature the feature
     * @param permitted {@code true} to permit it, {@code false} to deny it again
     */
    public void permit(DeprecatedFeature feature, boolean permitted) {
        deprecatedFeatures.permit(Objects.requireNonNull(feature, "feature"), permitted);
    }

    /**
     * @param feature a deprecated feature
     * @return whether this broker permits it ({@code false} unless {@link #permit} said so)
     */
    public boolean isPermitted(DeprecatedFeature feature) {
        return deprecatedFeatures.isPermitted(feature);
    }

    /** @return the memory limit, in message body bytes */
    public long memoryLimit() {
        return memory.limit();
    }

    /** @return the body bytes of the messages this broker holds now */
    public long memoryUsed() {
        return memory.used();
    }

    MemoryAlarm memory() {
        return memory;
    }

    /** Hands the alarm's news to every connection, in order, on the one scheduler thread. */
    private void memoryAlarm(boolean raised) {
        for (InMemoryConnection c : connections) {
            scheduler.execute(() -> c.memoryAlarm(raised));
        }
    }

    /**
     * Drops every connection as a network failure would: subscriptions end, unacknowledged
     * messages return to their queues flagged redelivered, exclusive queues are deleted, and each
     * connection's listeners hear {@code onConnectionLost} and then {@code onRecoveryFailed} (on a
     * broker thread), so its consumers, workers, RPC servers and listeners go {@code FAILED}. The
     * connections stay closed; this transport does not recover them. Exchanges, other queues and their messages remain.
     */
    public void disconnectAll() {
        ConnectionException cause = new ConnectionException(
                "connection to embedded broker '" + name + "' lost: the broker dropped all connections");
        for (InMemoryConnection c : new ArrayList<>(connections)) {
            c.lose(cause);
        }
    }

    /**
     * Returns the broker to its initial state: {@linkplain #disconnectAll() drops every
     * connection}, then deletes every queue and exchange but the pre-declared ones.
     */
    public void reset() {
        disconnectAll();
        synchronized (topology) {
            for (QueueState q : new ArrayList<>(queues.values())) {
                removeQueue(q);
            }
            exchanges.clear();
            predeclare();
        }
    }

    /**
     * Resets a named broker and discards it with its threads; the next {@link #named(String)}
     * with the same name creates a fresh one.
     *
     * @throws IllegalStateException for the default broker, which lives as long as the JVM (use {@link #reset()})
     */
    public void delete() {
        if (name.equals(DEFAULT_NAME)) {
            throw new IllegalStateException("the default embedded broker cannot be deleted; use reset()");
        }
        deleted = true;
        BROKERS.remove(name, this);
        reset();
        scheduler.shutdownNow();
        deliveryPool.shutdown();
    }

    /**
     * @param queue a queue name
     * @return whether the queue exists now
     */
    public boolean queueExists(String queue) {
        return queues.containsKey(queue);
    }

    /**
     * @param exchange an exchange name
     * @return whether the exchange exists now ("" always does)
     */
    public boolean exchangeExists(String exchange) {
        return exchange.isEmpty() || exchanges.containsKey(exchange);
    }

    /** @return the names of the queues that exist now, sorted; a snapshot */
    public Set<String> queueNames() {
        return new TreeSet<>(queues.keySet());
    }

    /** @return how many connections are open now */
    public int connectionCount() {
        return connections.size();
    }

    @Override
    public String toString() {
        return "InMemoryBroker[" + (name.isEmpty() ? "default" : name) + "]";
    }

    Executor deliveryPool() {
        return deliveryPool;
    }

    void schedule(Runnable task, long delay, TimeUnit unit) {
        try {
            scheduler.schedule(task, delay, unit);
        } catch (RejectedExecutionException e) {
            LOG.debug("broker {} stopped; not scheduling {}", name, task);
        }
    }

    /** @return {@code false} if the broker's pool no longer runs tasks */
    boolean runAsync(Runnable task) {
        try {
            deliveryPool.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    void declareExchange(Exchange exchange) {
        if (exchange.isDefault()) {
            throw Declarations.defaultExchange("exchange.declare");
        }
        synchronized (topology) {
            ExchangeState existing = exchanges.get(exchange.name());
            if (existing != null) {
                Declarations.checkEquivalent(existing.declaration, exchange);
                return;
            }
            if (exchange.name().startsWith("amq.")) {
                throw Declarations.reservedName("exchange", exchange.name());
            }
            exchanges.put(exchange.name(), new ExchangeState(exchange));
        }
    }

    void checkExchange(String exchange) {
        if (!exchangeExists(exchange)) {
            throw Declarations.noExchange(exchange);
        }
    }

    void deleteExchange(String exchange, boolean ifUnused) {
        if (exchange.isEmpty()) {
            throw Declarations.defaultExchange("exchange.delete");
        }
        if (exchange.startsWith("amq.")) {
            throw new AccessRefusedException("ACCESS_REFUSED - deletion of system exchange '" + exchange
                    + "' in vhost '/' not allowed");
        }
        synchronized (topology) {
            ExchangeState x = exchanges.get(exchange);
            if (x == null) {
                return;
            }
            if (ifUnused && x.hasBindings()) {
                throw new DeclarationConflictException("PRECONDITION_FAILED - exchange '" + exchange
                        + "' in vhost '/' in use");
            }
            exchanges.remove(exchange, x);
        }
    }

    QueueInfo declareQueue(InMemoryConnection connection, Queue queue) {
        String queueName = queue.name();
        if (queueName.isEmpty()) {
            QueueArguments.checkServerNamed(queue);
            queueName = Names.serverNamedQueue();
        } else if (queueName.startsWith("amq.")) {
            throw Declarations.reservedName("queue", queueName);
        }
        Queue declaration = queue.withName(queueName);
        if (declaration.exclusive() && declaration.durable()) {
            // RabbitMQ makes an exclusive queue transient whatever the durable flag says, so a
            // re-declaration with either flag is equivalent.
            declaration = new Queue(queueName, false, true, declaration.autoDelete(), declaration.bindings(),
                    declaration.arguments());
        }
        synchronized (topology) {
            if (!connection.isOpen()) {
                throw new ConnectionException("connection closed");
            }
            QueueState existing = queues.get(queueName);
            if (existing != null) {
                // RabbitMQ checks exclusive access before equivalence, strictly: the declaration's
                // owner (this connection if exclusive, none otherwise) must be the queue's.
                if (existing.owner != (declaration.exclusive() ? connection : null)) {
                    throw Declarations.locked(queueName);
                }
                Declarations.checkEquivalent(existing.declaration, declaration);
                existing.touch();
                return existing.info();
            }
            // As RabbitMQ, which checks them when it creates a queue: an existing one is only compared.
            deprecatedFeatures.checkDeclaration(declaration);
            QueueState q = new QueueState(this, declaration, declaration.exclusive() ? connection : null);
            queues.put(queueName, q);
            if (q.expiresMillis > 0) {
                scheduleQueueExpiry(q, q.expiresMillis);
            }
            return q.info();
        }
    }

    /** @return the queue, if it exists and the connection may use it */
    QueueState queueFor(InMemoryConnection connection, String queue) {
        QueueState q = queues.get(queue);
        if (q == null) {
            throw Declarations.noQueue(queue);
        }
        if (!q.accessibleBy(connection)) {
            throw Declarations.locked(queue);
        }
        return q;
    }

    long deleteQueue(InMemoryConnection connection, String queue, boolean ifUnused, boolean ifEmpty) {
        QueueState quorum = queues.get(queue);
        if (quorum != null && quorum.type == QueueType.QUORUM && (ifUnused || ifEmpty)) {
            throw connection.refuse("NOT_IMPLEMENTED - cannot delete queue '" + queue + "' in vhost '/'. queue.delete"
                    + " operations with " + (ifUnused ? "if-unused" : "if-empty") + " flag set are not supported by"
                    + " quorum queues");
        }
        synchronized (topology) {
            QueueState q = queues.get(queue);
            if (q == null) {
                return 0;
            }
            if (!q.accessibleBy(connection)) {
                throw Declarations.locked(queue);
            }
            if (ifUnused && q.hasConsumers()) {
                throw new DeclarationConflictException("PRECONDITION_FAILED - queue '" + queue + "' in vhost '/' in use");
            }
            if (ifEmpty && q.readyCount() > 0) {
                throw new DeclarationConflictException("PRECONDITION_FAILED - queue '" + queue
                        + "' in vhost '/' not empty");
            }
            return removeQueue(q);
        }
    }

    void bind(InMemoryConnection connection, String queue, Binding binding) {
        String exchange = binding.exchange().name();
        if (exchange.isEmpty()) {
            throw Declarations.defaultExchange("queue.bind");
        }
        synchronized (topology) {
            // As RabbitMQ: both ends must exist (the exchange is reported first), then the queue be accessible.
            ExchangeState x = exchanges.get(exchange);
            if (x == null) {
                throw Declarations.noExchange(exchange);
            }
            QueueState q = queueFor(connection, queue);
            x.addBinding(q, binding.routingKey(), binding.arguments());
        }
    }

    void unbind(InMemoryConnection connection, String queue, Binding binding) {
        synchronized (topology) {
            QueueState q = queues.get(queue);
            ExchangeState x = exchanges.get(binding.exchange().name());
            // As RabbitMQ: removing what does not exist succeeds, even on another connection's
            // exclusive queue; only an existing binding needs access to the queue.
            if (q == null || x == null || !x.hasBinding(q, binding.routingKey(), binding.arguments())) {
                return;
            }
            if (!q.accessibleBy(connection)) {
                throw Declarations.locked(queue);
            }
            if (x.removeBinding(q, binding.routingKey(), binding.arguments())) {
                exchanges.remove(x.name(), x);
            }
        }
    }

    /**
     * Routes and enqueues a message; returning normally is the publisher confirm.
     *
     * @throws EntityNotFoundException if the exchange does not exist
     * @throws UndeliverableException if mandatory and unroutable
     * @throws PublishRejectedException if a full reject-publish queue refused it
     */
    void publish(OutboundMessage message) {
        if (message.exchange().isEmpty()) {
            publishToQueue(message, queues.get(message.routingKey()));
            return;
        }
        QueueState[] targets = route(message.exchange(), message.routingKey(), message.properties().headers());
        if (targets.length == 0) {
            if (message.mandatory()) {
                throw new UndeliverableException(message.exchange(), message.routingKey(), 312, "NO_ROUTE");
            }
            return;
        }
        String refusedBy = null;
        if (targets.length == 1) {
            refusedBy = targets[0].enqueue(message) ? null : targets[0].name();
        } else {
            // The message reaches every queue before any of them dead-letters it, as on RabbitMQ,
            // where the queues' processes dead-letter after the channel has delivered to all.
            ArrayDeque<Runnable> later = deferDeadLetters();
            try {
                for (QueueState q : targets) {
                    if (!q.enqueue(message)) {
                        refusedBy = q.name();
                    }
                }
            } finally {
                runDeadLetters(later);
            }
        }
        if (refusedBy != null) {
            throw new PublishRejectedException("queue '" + refusedBy
                    + "' in vhost '/' is full (x-overflow reject-publish): the broker refused the message");
        }
    }

    /** The default exchange's route, without allocating a list on this hot path. */
    private static void publishToQueue(OutboundMessage message, QueueState q) {
        if (q == null) {
            if (message.mandatory()) {
                throw new UndeliverableException("", message.routingKey(), 312, "NO_ROUTE");
            }
        } else if (!q.enqueue(message)) {
            throw new PublishRejectedException("queue '" + q.name()
                    + "' in vhost '/' is full (x-overflow reject-publish): the broker refused the message");
        }
    }

    /**
     * Republishes a dead message of {@code source} to its dead-letter exchange; drops it if that is
     * missing. Dead letters that this one causes in turn are routed after it, in order (breadth
     * first), as RabbitMQ's queue processes route each one only after the operation that killed it.
     */
    void deadLetter(QueueState source, QueueEntry dead, String reason) {
        if (source.deadLetterExchange == null) {
            return;
        }
        ArrayDeque<Runnable> pending = DEAD_LETTERS.get();
        if (pending != null) {
            pending.add(() -> routeDeadLetter(source, dead, reason));
            return;
        }
        ArrayDeque<Runnable> later = deferDeadLetters();
        try {
            routeDeadLetter(source, dead, reason);
        } finally {
            runDeadLetters(later);
        }
    }

    /**
     * Runs the dead-lettering of one queue operation: the messages it killed are routed in order,
     * then the dead letters those cause.
     */
    void deadLettering(Runnable deadLetters) {
        ArrayDeque<Runnable> later = deferDeadLetters();
        try {
            deadLetters.run();
        } finally {
            runDeadLetters(later);
        }
    }

    /**
     * Makes dead letters of this thread wait until {@link #runDeadLetters} (unless an outer
     * operation already does).
     *
     * @return the list to pass to {@link #runDeadLetters}, {@code null} when an outer operation owns it
     */
    private static ArrayDeque<Runnable> deferDeadLetters() {
        if (DEAD_LETTERS.get() != null) {
            return null;
        }
        ArrayDeque<Runnable> pending = new ArrayDeque<>();
        DEAD_LETTERS.set(pending);
        return pending;
    }

    /** Routes the dead letters deferred by {@link #deferDeadLetters}, and those they cause, in order. */
    private static void runDeadLetters(ArrayDeque<Runnable> pending) {
        if (pending == null) {
            return;
        }
        try {
            Runnable next;
            while ((next = pending.poll()) != null) {
                next.run();
            }
        } finally {
            DEAD_LETTERS.remove();
        }
    }

    private void routeDeadLetter(QueueState source, QueueEntry dead, String reason) {
        String dlx = source.deadLetterExchange;
        String key = source.deadLetterRoutingKey != null ? source.deadLetterRoutingKey : dead.message.routingKey();
        OutboundMessage copy = DeadLetters.copy(dead.message, source.name(), reason, dlx, key);
        QueueState[] targets;
        try {
            targets = route(dlx, key, copy.properties().headers());
        } catch (EntityNotFoundException missing) {
            LOG.debug("dead-letter exchange '{}' of queue '{}' does not exist; dropping the message", dlx,
                    source.name());
            return;
        }
        for (QueueState q : targets) {
            if (!DeadLetters.isCycle(copy, q.name(), reason)) {
                q.enqueue(copy);
            }
        }
    }

    /** The last consumer of an auto-delete queue went away. */
    void autoDelete(QueueState queue) {
        synchronized (topology) {
            if (queues.get(queue.name()) == queue && !queue.hasConsumers()) {
                removeQueue(queue);
            }
        }
    }

    void connectionClosed(InMemoryConnection connection) {
        synchronized (topology) {
            for (QueueState q : new ArrayList<>(queues.values())) {
                if (q.owner == connection) {
                    removeQueue(q);
                }
            }
            connections.remove(connection);
        }
        for (QueueState q : queues.values()) {
            q.connectionClosed(connection);
        }
    }

    /** @return the queues the message goes to, each once; possibly shared, so never written to */
    private QueueState[] route(String exchange, String routingKey, Map<String, Object> headers) {
        if (exchange.isEmpty()) {
            QueueState q = queues.get(routingKey);
            return q == null ? ExchangeState.NO_QUEUES : new QueueState[] {q};
        }
        ExchangeState x = exchanges.get(exchange);
        if (x == null) {
            throw Declarations.noExchange(exchange);
        }
        QueueState[] out = x.route(routingKey, headers);
        for (int hops = 0; out.length == 0 && x.alternateExchange() != null && hops < MAX_ALTERNATES; hops++) {
            x = exchanges.get(x.alternateExchange());
            if (x == null) {
                break;
            }
            out = x.route(routingKey, headers);
        }
        return out;
    }

    /** Call under the topology lock. @return the ready messages the queue held */
    private long removeQueue(QueueState q) {
        queues.remove(q.name(), q);
        for (ExchangeState x : new ArrayList<>(exchanges.values())) {
            if (x.removeQueue(q)) {
                exchanges.remove(x.name(), x);
            }
        }
        long count = q.readyCount();
        for (InMemorySubscription s : q.markDeleted()) {
            s.cancelledByBroker();
        }
        return count;
    }

    private void scheduleQueueExpiry(QueueState q, long delayMillis) {
        schedule(() -> expireIfUnused(q), delayMillis, TimeUnit.MILLISECONDS);
    }

    private void expireIfUnused(QueueState q) {
        synchronized (topology) {
            if (queues.get(q.name()) != q) {
                return;
            }
            if (q.unusedFor(q.expiresMillis)) {
                removeQueue(q);
                return;
            }
        }
        scheduleQueueExpiry(q, q.millisUntilExpiry());
    }

    private void predeclare() {
        exchanges.put("amq.direct", new ExchangeState(Exchange.direct("amq.direct")));
        exchanges.put("amq.fanout", new ExchangeState(Exchange.fanout("amq.fanout")));
        exchanges.put("amq.topic", new ExchangeState(Exchange.topic("amq.topic")));
        exchanges.put("amq.headers", new ExchangeState(Exchange.headers("amq.headers")));
        exchanges.put("amq.match", new ExchangeState(Exchange.builder("amq.match", ExchangeType.HEADERS).build()));
    }
}
