package io.seedmq.messaging.internal;

import io.seedmq.messaging.AckMode;
import io.seedmq.messaging.ConnectionListener;
import io.seedmq.messaging.Consumer;
import io.seedmq.messaging.ConsumerOptions;
import io.seedmq.messaging.ContentDisallowedException;
import io.seedmq.messaging.DeadLetterHeaders;
import io.seedmq.messaging.DecodeException;
import io.seedmq.messaging.EntityNotFoundException;
import io.seedmq.messaging.Lifecycle;
import io.seedmq.messaging.MessageHandler;
import io.seedmq.messaging.MessageProperties;
import io.seedmq.messaging.MessageTooLargeException;
import io.seedmq.messaging.MessagingException;
import io.seedmq.messaging.Queue;
import io.seedmq.messaging.StreamOffset;
import io.seedmq.messaging.observation.ConnectionHealth;
import io.seedmq.messaging.observation.ProcessContext;
import io.seedmq.messaging.retry.RetryPolicy;
import io.seedmq.messaging.serialization.SerializerRegistry;
import io.seedmq.messaging.spi.Delivery;
import io.seedmq.messaging.spi.ThreadFactories;
import io.seedmq.messaging.spi.DeliveryListener;
import io.seedmq.messaging.spi.OutboundMessage;
import io.seedmq.messaging.spi.SubscribeOptions;
import io.seedmq.messaging.spi.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * seedmq's one dispatch engine, and the {@link Consumer}: takes deliveries from its queues, refuses
 * poison (too large, content type not accepted), runs the handler (on the delivery thread, or on a
 * bounded executor), settles by the failure policy when the handler fails, and on stop stops
 * taking, gives back what never started and lets running handlers finish within the bound.
 *
 * <p>Every consumer, {@link io.seedmq.messaging.ConsumerWorker}, RPC server and notification
 * listener runs on this class; they differ only in their {@link Handler} and {@link FailurePolicy}.
 */
public final class DefaultConsumer implements Consumer {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultConsumer.class);
    private static final int MAX_HEADER_TEXT = 1000;
    private static final long IDLE_THREAD_KEEP_ALIVE_SECONDS = 60;

    /** Handles one message; may finish later. */
    @FunctionalInterface
    public interface Handler {
        /**
         * @param message the message
         * @return {@code null} when the handling is done, or a stage that completes when it is; a
         *     stage that fails counts as the handler failing
         * @throws Exception when the handling failed: the failure policy decides what happens to the message
         */
        CompletionStage<?> handle(DefaultMessage message) throws Exception;
    }

    /** What happens to an unsettled message whose handler failed: the part each kind of service plugs in. */
    @FunctionalInterface
    public interface FailurePolicy {
        /**
         * Called on the handler's thread; must settle the message (or leave it to be redelivered) and not throw.
         *
         * @param message the message, not settled, manually acknowledged
         * @param queue the queue it came from
         * @param cause what the handler threw
         */
        void failed(DefaultMessage message, String queue, Throwable cause);
    }

    /**
     * Says, before its handler runs, what the handling of a message is to be observed as: where
     * its trace context is, its tags. Called only on an observed connection; must not throw.
     */
    @FunctionalInterface
    public interface Describer {
        /**
         * @param queue the queue it came from
         * @param message the message, not settled
         * @return the observation's context, not started
         */
        ProcessContext describe(String queue, DefaultMessage message);
    }

    private final DefaultConnection connection;
    private final ConsumerOptions options;
    private final String name;
    /** Set once, before the consumer is published to another thread. */
    private Handler handler;
    private final FailurePolicy failurePolicy;
    private final boolean autoAck;
    private final Set<String> accept;
    private final ServiceState state;
    private final ConnectionListener connectionListener = new Recovery();
    /** One per queue of the options once started, in their order: what is subscribed to it now. */
    private final List<Slot> slots = new CopyOnWriteArrayList<>();
    /** Guards installing a subscription in its slot against a stop cancelling them all. */
    private final Object subscribing = new Object();
    /** The slots whose subscription was lost and is being restored. */
    private final Set<Slot> lost = ConcurrentHashMap.newKeySet();
    /** Whether the connection is down (lost, not yet recovered). */
    private volatile boolean connectionDown;
    /** The names subscribed to, in the options' order: kept after a stop, as the names it consumed. */
    private volatile List<String> queueNames = List.of();
    /** How a lost subscription is restored; set before start. */
    private RetryPolicy resubscribePolicy;
    private final Map<String, Queue> declaredQueues = new ConcurrentHashMap<>();
    /** Messages taken and not yet done with. */
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Set by a stop: completed when no message is in flight any more. */
    private volatile CompletableFuture<Void> idle;
    /** Whether deliveries go to the handler; false before start and from the moment a stop begins. */
    private volatile boolean taking;
    private volatile boolean lastStopClean = true;
    private final boolean pooled;
    private volatile Runnable onStopTaking = () -> { };
    private volatile BoundedDispatcher<Runnable> dispatcher;
    private volatile ThreadPoolExecutor ownPool;
    /**
     * The content type of the last accepted message. A stream mostly carries one, and the accept
     * list and the registry only ever accept more, so a positive answer can be remembered.
     */
    private volatile String lastAccepted;
    /** How handlings are observed; {@code null} when the connection observes nothing. Set before start. */
    private Describer describer;
    /** What the health view lists this consumer as, and under which kind; {@code null} when it is part of something listed. */
    private Lifecycle reported;
    private ConnectionHealth.Kind reportedKind;

    private DefaultConsumer(DefaultConnection connection, ConsumerOptions options, String name, Handler handler,
                            FailurePolicy failurePolicy, boolean pooled) {
        this.pooled = pooled;
        this.connection = Objects.requireNonNull(connection, "connection");
        this.options = Objects.requireNonNull(options, "options");
        this.name = name != null ? name : "Consumer" + options.queues().stream().map(Queue::name).toList();
        this.autoAck = options.ackMode() == AckMode.AUTO;
        SerializerRegistry registry = connection.serializers();
        this.accept = options.accept().stream().map(registry::contentTypeOf).collect(Collectors.toUnmodifiableSet());
        this.handler = handler;
        this.failurePolicy = failurePolicy != null ? failurePolicy : this::deadLetter;
        this.state = new ServiceState(this);
        this.resubscribePolicy = options.retryPolicy() != null ? options.retryPolicy()
                : Lifecycle.DEFAULT_RESUBSCRIBE_POLICY;
    }

    /**
     * @param connection the connection
     * @param options what to consume and how
     * @param handler the application's handler
     * @return a consumer whose failing handler runs again under the options' handler retry, then
     *     has its message dead-lettered
     */
    static DefaultConsumer forApplication(DefaultConnection connection, ConsumerOptions options, MessageHandler handler) {
        Objects.requireNonNull(handler, "handler");
        DefaultConsumer consumer = new DefaultConsumer(connection, options, null, null, null, false);
        consumer.handler = consumer.new RetryingHandler(handler, options.handlerRetry());
        consumer.reportAs(consumer, ConnectionHealth.Kind.CONSUMER);
        consumer.describeWith((queue, message) -> connection.observations().consumerContext(queue, message, "consumer"));
        return consumer;
    }

    /**
     * @param connection the connection
     * @param options what to consume and how
     * @param handler the application's handler
     * @param resubscribe how a lost subscription is restored
     * @return a consumer of a {@link io.seedmq.messaging.ConsumerWorker}: as an application's
     *     consumer, observed as a worker's and not listed on its own in the health view (the worker is)
     */
    public static Consumer forWorker(io.seedmq.messaging.Connection connection, ConsumerOptions options,
                                     MessageHandler handler, RetryPolicy resubscribe) {
        if (!(connection instanceof DefaultConnection c)) {
            // A connection seedmq did not open makes its own consumers, observed or not as it sees fit.
            return connection.consumer(options, handler);
        }
        c.ensureOpen();
        DefaultConsumer consumer = forApplication(c, options, handler);
        consumer.reported = null;
        consumer.resubscribeUnder(resubscribe);
        consumer.describeWith((queue, message) -> c.observations().consumerContext(queue, message, "worker"));
        return consumer;
    }

    /**
     * @param service what the health view lists while this consumer runs (the RPC server or
     *     listener it serves)
     * @param kind what kind of service that is
     * @return this
     */
    public DefaultConsumer reportAs(Lifecycle service, ConnectionHealth.Kind kind) {
        this.reported = Objects.requireNonNull(service, "service");
        this.reportedKind = Objects.requireNonNull(kind, "kind");
        return this;
    }

    /**
     * @param policy how a subscription lost after the start (the broker cancelled it, the transport
     *     could not restore it) is restored: each attempt declares the queue (when the consumer
     *     declares) and subscribes once. Unless set, the options' retry policy, or
     *     {@link Lifecycle#DEFAULT_RESUBSCRIBE_POLICY} when they name none
     * @return this
     */
    public DefaultConsumer resubscribeUnder(RetryPolicy policy) {
        this.resubscribePolicy = Objects.requireNonNull(policy, "policy");
        return this;
    }

    /**
     * @param describer how the handling of each message is observed; ignored when the connection
     *     observes nothing
     * @return this
     */
    public DefaultConsumer describeWith(Describer describer) {
        this.describer = connection.observations().enabled() ? describer : null;
        return this;
    }

    /**
     * A consumer for a service built on seedmq (an RPC server, a notification listener).
     *
     * @param connection the connection, a seedmq one
     * @param name the service's name, in log lines and thread names
     * @param options what to consume and how
     * @param handler the service's handler
     * @param failurePolicy what happens when the handler fails
     * @param pooled whether handlers run on an executor even at concurrency 1, as a service that
     *     {@linkplain #execute runs work of its own} needs
     * @return the consumer, not started
     */
    public static DefaultConsumer forService(io.seedmq.messaging.Connection connection, String name,
                                             ConsumerOptions options, Handler handler, FailurePolicy failurePolicy,
                                             boolean pooled) {
        return new DefaultConsumer(DefaultConnection.of(connection), options, Objects.requireNonNull(name, "name"),
                Objects.requireNonNull(handler, "handler"), Objects.requireNonNull(failurePolicy, "failurePolicy"),
                pooled);
    }

    /**
     * @param hook runs when a stop begins, after the subscriptions are cancelled and before running
     *     handlers are awaited: a service gives back here what it holds outside the handlers (a
     *     batch filling up)
     */
    public void onStopTaking(Runnable hook) {
        this.onStopTaking = Objects.requireNonNull(hook, "hook");
    }

    /** @return messages taken and not yet done with */
    int inFlight() {
        return inFlight.get();
    }

    /** @return whether deliveries still go to the handler: false from the moment a stop begins */
    public boolean isTaking() {
        return taking;
    }

    /**
     * Runs work of the service's own (a batch whose time is up) on the handler executor, counted as
     * in flight, so a stop waits for it. Only for a {@code pooled} consumer that has started.
     *
     * @param work the work; must not throw
     */
    public void execute(Runnable work) {
        BoundedDispatcher<Runnable> d = dispatcher;
        if (d == null) {
            throw new IllegalStateException(this + " runs no executor");
        }
        inFlight.incrementAndGet();
        Runnable counted = () -> {
            try {
                work.run();
            } finally {
                done();
            }
        };
        try {
            d.submit(counted);
        } catch (RejectedExecutionException e) {
            LOG.warn("{}: the executor refused work ({}); running it on the caller's thread", this, e.toString());
            counted.run();
        }
    }

    @Override
    public void start() {
        if (!state.beginStart()) {
            return;
        }
        if (reported != null) {
            connection.monitor().track(reported, reportedKind, name);
        }
        RetryPolicy policy = options.retryPolicy() != null ? options.retryPolicy() : connection.options().retryPolicy();
        try {
            connection.ensureOpen();
            startExecutor();
            taking = true;
            connection.addListener(connectionListener);
            connection.register(this);
            // One policy for the whole start: each attempt declares and subscribes once.
            policy.run("start " + this, this::declareAndSubscribe);
        } catch (RuntimeException e) {
            release();
            state.fail(e);
            throw e;
        }
        if (!state.running()) {
            // A stop came while starting and may have finished already: let go of what was made since.
            release();
            return;
        }
        if (!lost.isEmpty() || connectionDown) {
            // Lost while starting: RUNNING only once it is back.
            state.recovering(new MessagingException(this + ": a subscription was lost while starting"));
            if (lost.isEmpty() && !connectionDown) {
                state.recovered();
            }
        }
    }

    /** One attempt to start: every queue declared (unless told not to) and subscribed, or none left subscribed. */
    private void declareAndSubscribe() {
        List<String> names = new ArrayList<>();
        for (Queue queue : options.queues()) {
            names.add(options.declare() ? connection.declare(queue, RetryPolicy.none()).name() : queue.name());
        }
        try {
            for (int i = 0; i < names.size(); i++) {
                Slot slot = new Slot(options.queues().get(i));
                slots.add(slot);
                Listener listener = new Listener(slot, names.get(i));
                slot.install(listener, connection.transport().subscribe(names.get(i), subscribeOptions(slot), listener));
            }
        } catch (RuntimeException e) {
            cancelSubscriptions();
            throw e;
        }
        for (int i = 0; i < names.size(); i++) {
            declaredQueues.put(names.get(i), options.queues().get(i));
        }
        queueNames = List.copyOf(names);
        for (Slot slot : slots) {
            Listener listener = slot.listener;
            if (listener != null && listener.lostCause != null) {
                // Lost before it was installed: restored like any other.
                subscriptionLost(listener, listener.lostCause);
            }
        }
    }

    /**
     * @return the options to subscribe the slot with: the consumer's, except that a stream reader
     *     that was delivered messages resumes after the last of them instead of at its first offset
     *     again (which would replay what it had, or skip what was published while it was away)
     */
    private SubscribeOptions subscribeOptions(Slot slot) {
        Map<String, Object> arguments = options.arguments();
        long resumeAt = slot.resumeAt.get();
        if (resumeAt >= 0 && arguments.containsKey(ConsumerOptions.X_STREAM_OFFSET)) {
            Map<String, Object> resumed = new LinkedHashMap<>(arguments);
            resumed.put(ConsumerOptions.X_STREAM_OFFSET, StreamOffset.offset(resumeAt).argumentValue());
            arguments = resumed;
        }
        return new SubscribeOptions(options.prefetch(), autoAck, options.exclusive(), null, arguments);
    }

    /**
     * A subscription ended without the application cancelling it and the transport will not restore
     * it (the broker cancelled it: its queue was deleted, or its node went down; or the transport
     * failed to restore it after a connection recovery). The consumer is {@code RECOVERING} and
     * declares (when it declares) and subscribes again under its re-subscribe policy.
     */
    private void subscriptionLost(Listener from, Throwable cause) {
        from.lostCause = cause;
        Slot slot = from.slot;
        Subscription old;
        synchronized (subscribing) {
            if (slot.listener != from || from.lossHandled || !taking) {
                // A stop, an earlier subscription's late news, or one being installed (it checks lostCause).
                return;
            }
            from.lossHandled = true;
            old = slot.subscription;
            slot.lost();
            lost.add(slot);
        }
        try {
            options.cancelHandler().onCancelledByBroker(from.queue);
        } catch (RuntimeException e) {
            LOG.error("cancel handler failed for queue {}", from.queue, e);
        }
        if (old != null) {
            try {
                old.cancel();
            } catch (RuntimeException e) {
                LOG.debug("cancelling lost subscription {} failed", old.consumerTag(), e);
            }
        }
        LOG.warn("{}: lost its subscription to queue '{}' ({}); {} under {}", this, from.queue, cause.getMessage(),
                options.declare() ? "declaring it and subscribing again" : "subscribing again", resubscribePolicy);
        state.recovering(cause);
        schedule(slot, Duration.ZERO);
    }

    /** Runs the slot's next attempt to subscribe again after the wait, unless one is due sooner or running. */
    private void schedule(Slot slot, Duration wait) {
        synchronized (subscribing) {
            if (!taking || !lost.contains(slot)) {
                return;
            }
            if (slot.next != null) {
                slot.next.cancel(false);
            }
            try {
                slot.next = connection.scheduler().schedule(() -> resubscribe(slot), wait.toNanos(),
                        TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                // The connection is closing; its listener ends this consumer.
                LOG.debug("{}: cannot subscribe to '{}' again, the connection is closing", this, slot.name);
            }
        }
    }

    /**
     * One attempt to declare (when the consumer declares) and subscribe again: a few broker round
     * trips, each bounded by the connection's operation timeout, on the connection's scheduler.
     */
    private void resubscribe(Slot slot) {
        if (!taking || !lost.contains(slot) || !slot.attempting.compareAndSet(false, true)) {
            return;
        }
        Listener listener = null;
        try {
            int attempt = ++slot.attempts;
            try {
                String name = options.declare() ? connection.declare(slot.queue, RetryPolicy.none()).name()
                        : slot.queue.name();
                listener = new Listener(slot, name);
                SubscribeOptions subscribe = subscribeOptions(slot);
                Subscription subscription = connection.transport().subscribe(name, subscribe, listener);
                synchronized (subscribing) {
                    if (!taking) {
                        // Stopped meanwhile: what was just made goes too.
                        quietlyCancel(subscription);
                        return;
                    }
                    declaredQueues.remove(slot.name);
                    declaredQueues.put(name, slot.queue);
                    slot.install(listener, subscription);
                    lost.remove(slot);
                    queueNames = slots.stream().map(s -> s.name).toList();
                }
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - slot.lostAt);
                Object offset = subscribe.arguments().get(ConsumerOptions.X_STREAM_OFFSET);
                LOG.info("{}: subscribed to queue '{}' again after {} attempt{} in {} ms{}", this, name, attempt,
                        attempt == 1 ? "" : "s", millis, offset == null ? "" : ", reading from stream offset " + offset);
            } catch (RuntimeException e) {
                retryOrFail(slot, attempt, e);
                return;
            }
        } finally {
            slot.attempting.set(false);
        }
        if (listener.lostCause != null) {
            // Lost again before it was installed.
            subscriptionLost(listener, listener.lostCause);
        } else if (lost.isEmpty() && !connectionDown) {
            state.recovered();
        }
    }

    private void retryOrFail(Slot slot, int attempt, RuntimeException failure) {
        if (!taking) {
            return;
        }
        RetryPolicy policy = resubscribePolicy;
        // A queue not found may come back (its node restarts, its owner declares it again): retried too.
        boolean retryable = policy.isRetryable(failure) || failure instanceof EntityNotFoundException;
        if (retryable && (policy.isForever() || attempt < policy.maxAttempts())) {
            Duration wait = policy.backoff(attempt);
            LOG.debug("{}: subscribing to queue '{}' again failed (attempt {}): {}; next attempt in {} ms", this,
                    slot.queue.name(), attempt, failure.toString(), wait.toMillis());
            schedule(slot, wait);
            return;
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - slot.lostAt);
        LOG.error("{}: gave up subscribing to queue '{}' again after {} attempt{} in {} s ({}); the service has FAILED: {}",
                this, slot.name, attempt, attempt == 1 ? "" : "s", seconds,
                retryable ? "its retry policy is spent" : "not retryable", failure.toString());
        release();
        state.fail(failure);
    }

    private static void quietlyCancel(Subscription subscription) {
        try {
            subscription.cancel();
        } catch (RuntimeException e) {
            LOG.debug("cancelling subscription {} failed", subscription.consumerTag(), e);
        }
    }

    /** Lost subscriptions wait no longer once the connection is back: their next attempt runs now. */
    private void retryLostNow() {
        for (Slot slot : lost) {
            schedule(slot, Duration.ZERO);
        }
    }

    private void startExecutor() {
        Executor supplied = options.executor() != null ? options.executor() : connection.options().handlerExecutor();
        int limit = options.concurrency();
        if (supplied == null && limit == 1 && !pooled) {
            return;
        }
        Executor executor = supplied;
        if (executor == null) {
            ThreadPoolExecutor pool = new ThreadPoolExecutor(limit, limit, IDLE_THREAD_KEEP_ALIVE_SECONDS,
                    TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                    ThreadFactories.factory(connection.options().threadFactory(), "handler-" + name));
            pool.allowCoreThreadTimeOut(true);
            ownPool = pool;
            executor = pool;
        }
        dispatcher = new BoundedDispatcher<>(executor, limit);
    }

    @Override
    public boolean stop() {
        return stop(options.stopTimeout());
    }

    @Override
    public CompletableFuture<Boolean> stopAsync(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (!state.beginStop()) {
            untrack();
            return state.termination().thenApply(s -> lastStopClean);
        }
        taking = false;
        cancelSubscriptions();
        BoundedDispatcher<Runnable> d = dispatcher;
        if (d != null) {
            for (Runnable r : d.drain()) {
                if (r instanceof Task t) {
                    t.giveBack();
                } else {
                    r.run();
                }
            }
        }
        try {
            onStopTaking.run();
        } catch (RuntimeException e) {
            LOG.error("{}: giving back on stop failed", this, e);
        }
        state.announceStopping();
        CompletableFuture<Void> finished = new CompletableFuture<>();
        idle = finished;
        if (inFlight.get() == 0) {
            finished.complete(null);
        }
        CompletableFuture<Boolean> clean = finished.thenApply(x -> true);
        if (!clean.isDone()) {
            ScheduledFuture<?> bound = connection.scheduler().schedule(() -> clean.complete(false),
                    timeout.toNanos(), TimeUnit.NANOSECONDS);
            clean.whenComplete((ok, e) -> bound.cancel(false));
        }
        return clean.thenApply(ok -> {
            if (!ok) {
                LOG.warn("{}: handlers still running after {}; their messages are settled when they finish", this, timeout);
            }
            release();
            lastStopClean = ok;
            state.stopped();
            untrack();
            return ok;
        });
    }

    /** The application stopped it: the health view no longer lists it (a failed one stays until then). */
    private void untrack() {
        if (reported != null) {
            connection.monitor().untrack(reported);
        }
    }

    /** Lets go of what the consumer holds: subscriptions, its pool (running handlers finish), its registrations. */
    private void release() {
        taking = false;
        cancelSubscriptions();
        ThreadPoolExecutor pool = ownPool;
        if (pool != null) {
            pool.shutdown();
        }
        connection.removeListener(connectionListener);
        connection.unregister(this);
    }

    private void cancelSubscriptions() {
        List<Subscription> cancelling = new ArrayList<>();
        synchronized (subscribing) {
            for (Slot slot : slots) {
                if (slot.next != null) {
                    slot.next.cancel(false);
                }
                if (slot.subscription != null) {
                    cancelling.add(slot.subscription);
                }
                slot.lost();
            }
            slots.clear();
            lost.clear();
        }
        cancelling.forEach(DefaultConsumer::quietlyCancel);
    }

    @Override
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return state.awaitTermination(timeout);
    }

    @Override
    public State state() {
        return state.get();
    }

    @Override
    public void addStateListener(StateListener listener) {
        state.addListener(listener);
    }

    @Override
    public void removeStateListener(StateListener listener) {
        state.removeListener(listener);
    }

    @Override
    public List<String> queueNames() {
        return queueNames;
    }

    @Override
    public ConsumerOptions options() {
        return options;
    }

    private boolean accepted(String contentType) {
        if (contentType == null || contentType.equals(lastAccepted)) {
            return true;
        }
        String normalized = SerializerRegistry.normalize(contentType);
        boolean ok = accept.isEmpty() ? connection.serializers().knows(normalized) : accept.contains(normalized);
        if (ok) {
            lastAccepted = contentType;
        }
        return ok;
    }

    private void dispatch(String queue, Delivery delivery) {
        // Counted before taking is read, and a stop clears taking before it reads the count: so
        // either this delivery is given back here, or the stop waits for it.
        inFlight.incrementAndGet();
        if (!taking) {
            // Prefetched after a stop began: give it back rather than start work we were told to stop.
            try {
                if (!autoAck) {
                    DefaultMessage.release(delivery);
                }
            } finally {
                done();
            }
            return;
        }
        DefaultMessage message = new DefaultMessage(delivery, connection.serializers(), autoAck);
        if (message.redelivered()) {
            connection.monitor().redelivered();
        }
        long max = options.maxBodySize();
        if (max > 0 && message.body().length > max) {
            refuseAndFinish(queue, message, new MessageTooLargeException("body of " + message.body().length
                    + " bytes is larger than this consumer's maximum of " + max));
            return;
        }
        String contentType = message.contentType();
        if (!accepted(contentType)) {
            refuseAndFinish(queue, message, new ContentDisallowedException("content type '" + contentType
                    + "' is not accepted by this consumer (accepts " + (accept.isEmpty()
                    ? connection.serializers().contentTypes() : accept) + ")"));
            return;
        }
        BoundedDispatcher<Runnable> d = dispatcher;
        if (d == null) {
            run(queue, message);
            return;
        }
        Task task = new Task(queue, message);
        try {
            d.submit(task);
        } catch (RejectedExecutionException e) {
            LOG.warn("{}: the executor refused a handler ({}); {} goes back to its queue", this, e.toString(), message);
            task.giveBack();
        }
    }

    private void refuseAndFinish(String queue, DefaultMessage message, MessagingException error) {
        try {
            refuse(queue, message, error);
        } finally {
            done();
        }
    }

    private void run(String queue, DefaultMessage message) {
        Describer d = describer;
        HandleObservation observation = d == null ? null
                : HandleObservation.start(connection.observations(), d.describe(queue, message), message);
        CompletionStage<?> later = null;
        Throwable failure = null;
        try {
            later = handler.handle(message);
        } catch (Exception | Error e) {
            failure = e;
            failed(queue, message, e);
        } finally {
            if (observation != null) {
                observation.closeScope();
            }
            if (later == null) {
                if (observation != null) {
                    observation.stop(failure);
                }
                done();
            }
        }
        if (later != null) {
            later.whenComplete((ok, e) -> {
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                try {
                    if (cause != null) {
                        failed(queue, message, cause);
                    }
                } finally {
                    if (observation != null) {
                        observation.stop(cause);
                    }
                    done();
                }
            });
        }
    }

    private void done() {
        // A stop sets idle before it reads inFlight and this reads idle after the decrement, so
        // one of the two sees the other: the stop learns of the last handler either way.
        if (inFlight.decrementAndGet() == 0) {
            CompletableFuture<Void> waiting = idle;
            if (waiting != null) {
                waiting.complete(null);
            }
        }
    }

    private void failed(String queue, DefaultMessage message, Throwable e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        try {
            if (e instanceof DecodeException || e instanceof ContentDisallowedException) {
                refuse(queue, message, (MessagingException) e);
            } else if (autoAck || message.isSettled()) {
                LOG.error("{}: handler failed on {}", this, message, e);
            } else {
                failurePolicy.failed(message, queue, e);
            }
        } catch (RuntimeException policyFailure) {
            LOG.error("{}: settling {} after its handler failed went wrong; it is redelivered when the connection closes",
                    this, message, policyFailure);
        }
    }

    private void refuse(String queue, DefaultMessage message, MessagingException error) {
        connection.monitor().poison();
        if (!autoAck && !message.isSettled()) {
            republishOrReject(queue, message, error);
        }
        try {
            options.decodeErrorHandler().onDecodeError(message, error);
        } catch (RuntimeException e) {
            LOG.error("decode error handler failed for {}", message, e);
        }
    }

    /** The application consumer's failure policy: retries are spent (or not wanted), so dead-letter it. */
    private void deadLetter(DefaultMessage message, String queue, Throwable cause) {
        int attempts = options.handlerRetry().maxAttempts();
        if (!taking && attempts > 1) {
            LOG.warn("{}: handler failed on {} while the consumer stops; requeued for redelivery: {}", this, message,
                    cause.toString());
            settleQuietly(message, true);
            return;
        }
        LOG.error("{}: handler failed on {}{}; rejecting it without requeue (dead-lettered)", this, message,
                attempts > 1 ? " " + attempts + " times" : "", cause);
        connection.monitor().deadLettered();
        republishOrReject(queue, message, cause);
    }

    /**
     * Settles a message that failed for good. With {@link ConsumerOptions#deadLetterWithCause()}, when its queue was declared with a dead-letter exchange,
     * a copy with the cause in its headers is published there and confirmed before the original is
     * acked (at-least-once: a crash in between leaves both); otherwise, or when that publish fails,
     * the original is rejected without requeue and the broker dead-letters it (without the cause).
     */
    private void republishOrReject(String queue, DefaultMessage message, Throwable cause) {
        Queue declared = options.deadLetterWithCause() ? declaredQueues.get(queue) : null;
        Object dlx = declared == null ? null : declared.arguments().get(Queue.X_DEAD_LETTER_EXCHANGE);
        if (dlx != null) {
            Object key = declared.arguments().get(Queue.X_DEAD_LETTER_ROUTING_KEY);
            Map<String, Object> headers = new LinkedHashMap<>();
            headers.put(DeadLetterHeaders.EXCEPTION_CLASS, cause.getClass().getName());
            headers.put(DeadLetterHeaders.EXCEPTION_MESSAGE, truncate(String.valueOf(cause.getMessage())));
            headers.put(DeadLetterHeaders.ORIGINAL_EXCHANGE, message.exchange());
            headers.put(DeadLetterHeaders.ORIGINAL_ROUTING_KEY, message.routingKey());
            headers.put(DeadLetterHeaders.ORIGINAL_QUEUE, queue);
            // The copy starts afresh in the dead-letter queue: the original's TTL does not follow it, as with RabbitMQ's own dead-lettering.
            MessageProperties properties = message.properties().toBuilder().headers(headers).expiration(null).build();
            OutboundMessage copy = new OutboundMessage(dlx.toString(),
                    key != null ? key.toString() : message.routingKey(), properties, message.body(), false);
            try {
                Futures.await(connection.transport().publish(copy),
                        connection.options().operationTimeout().plus(Duration.ofSeconds(1)),
                        "dead-letter " + message + " to '" + dlx + "'");
                message.ack();
                return;
            } catch (RuntimeException e) {
                LOG.warn("could not publish {} to its dead-letter exchange '{}' ({}); rejecting it without requeue",
                        message, dlx, e.toString());
            }
        }
        settleQuietly(message, false);
    }

    private static String truncate(String text) {
        return text.length() <= MAX_HEADER_TEXT ? text : text.substring(0, MAX_HEADER_TEXT) + "...";
    }

    static void settleQuietly(DefaultMessage message, boolean requeue) {
        try {
            if (requeue) {
                message.requeue();
            } else {
                message.reject();
            }
        } catch (RuntimeException e) {
            LOG.debug("could not settle {}", message, e);
        }
    }

    @Override
    public String toString() {
        return name;
    }

    /** A message waiting for, or running on, the executor. */
    private final class Task implements Runnable {
        private final String queue;
        private final DefaultMessage message;

        Task(String queue, DefaultMessage message) {
            this.queue = queue;
            this.message = message;
        }

        @Override
        public void run() {
            if (!taking) {
                giveBack();
                return;
            }
            DefaultConsumer.this.run(queue, message);
        }

        /** The handler never started: the message goes back to its queue for another consumer. */
        void giveBack() {
            try {
                if (!autoAck && !message.isSettled()) {
                    message.release();
                }
            } catch (RuntimeException e) {
                LOG.debug("could not give back {}", message, e);
            } finally {
                done();
            }
        }
    }

    /** A queue of the options: what is subscribed to it now, and its restoring when that is lost. */
    private static final class Slot {
        final Queue queue;
        /** The name subscribed to: the broker's, for a server-named queue. */
        volatile String name;
        volatile Subscription subscription;
        /** The listener of {@link #subscription}; {@code null} while lost. */
        volatile Listener listener;
        /** Attempts to subscribe again since the loss; read and written by the one running attempt. */
        int attempts;
        volatile long lostAt;
        /** The next attempt, when one is scheduled; guarded by {@code subscribing}. */
        ScheduledFuture<?> next;
        /**
         * The stream offset after the last message delivered from this queue, where a subscription
         * made again resumes; -1 before any. Atomic: a lost subscription's last deliveries may
         * still arrive beside its successor's first ones.
         */
        final AtomicLong resumeAt = new AtomicLong(-1);
        final java.util.concurrent.atomic.AtomicBoolean attempting = new java.util.concurrent.atomic.AtomicBoolean();

        Slot(Queue queue) {
            this.queue = queue;
            this.name = queue.name();
        }

        void install(Listener l, Subscription s) {
            name = l.queue;
            subscription = s;
            listener = l;
            attempts = 0;
        }

        void lost() {
            subscription = null;
            listener = null;
            lostAt = System.nanoTime();
        }
    }

    private final class Listener implements DeliveryListener {
        private final Slot slot;
        private final boolean resumesStream = options.arguments().containsKey(ConsumerOptions.X_STREAM_OFFSET);
        private final String queue;
        /** Why its subscription ended, once it has. */
        private volatile Throwable lostCause;
        /** Guarded by {@code subscribing}. */
        private boolean lossHandled;

        Listener(Slot slot, String queue) {
            this.slot = slot;
            this.queue = queue;
        }

        @Override
        public void onDelivery(Delivery delivery) {
            if (resumesStream && delivery.properties().headers().get(ConsumerOptions.X_STREAM_OFFSET) instanceof Number n) {
                slot.resumeAt.accumulateAndGet(n.longValue() + 1, Math::max);
            }
            dispatch(queue, delivery);
        }

        @Override
        public void onCancelledByBroker() {
            onSubscriptionLost(new MessagingException("the broker cancelled the subscription to queue '" + queue
                    + "' (deleted, or its node went down)"));
        }

        @Override
        public void onSubscriptionLost(MessagingException cause) {
            subscriptionLost(this, cause);
        }
    }

    /**
     * The connection's losses and recoveries, as this consumer's {@code RECOVERING} and
     * {@code RUNNING}: back to {@code RUNNING} once the connection is back and no subscription is
     * still being restored.
     */
    private final class Recovery implements ConnectionListener {
        @Override
        public void onConnectionLost(Throwable cause) {
            connectionDown = true;
            state.recovering(cause);
        }

        @Override
        public void onRecovered() {
            connectionDown = false;
            if (lost.isEmpty()) {
                state.recovered();
            } else {
                retryLostNow();
            }
        }

        @Override
        public void onRecoveryFailed(Throwable cause) {
            if (state.isLive()) {
                LOG.error("{}: the connection could not be recovered; the service has FAILED: {}", DefaultConsumer.this,
                        cause.toString());
                release();
                state.fail(cause);
            }
        }
    }

    /**
     * Runs the application's handler, and again under the handler retry while it throws (anything
     * but a decode or content failure), as long as the message is unsettled and the consumer takes
     * messages. What finally fails goes to the failure policy.
     */
    private final class RetryingHandler implements Handler {
        private final MessageHandler handler;
        private final RetryPolicy retry;

        RetryingHandler(MessageHandler handler, RetryPolicy policy) {
            this.handler = handler;
            this.retry = policy.toBuilder().retryOn(e -> e instanceof HandlerFailure f && f.retryable).build();
        }

        @Override
        public CompletionStage<?> handle(DefaultMessage message) throws Exception {
            if (retry.maxAttempts() == 1) {
                handler.handle(message);
                return null;
            }
            try {
                retry.run("handler on " + message, () -> runOnce(message));
            } catch (HandlerFailure f) {
                Throwable cause = f.getCause();
                if (cause instanceof Exception e) {
                    throw e;
                }
                throw (Error) cause;
            } catch (RuntimeException interrupted) {
                // The retry's wait was interrupted: leave the message to be redelivered.
                LOG.warn("handler retry on {} interrupted; requeued for redelivery", message);
                if (!message.isSettled()) {
                    settleQuietly(message, true);
                }
            }
            return null;
        }

        private void runOnce(DefaultMessage message) {
            try {
                handler.handle(message);
            } catch (Exception | Error e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                boolean poison = e instanceof DecodeException || e instanceof ContentDisallowedException;
                throw new HandlerFailure(e, !poison && !message.isSettled()
                        && taking);
            }
        }
    }

    /** A handler's failure on its way through the retry, with whether running it again may help. */
    private static final class HandlerFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient boolean retryable;

        HandlerFailure(Throwable cause, boolean retryable) {
            super(cause.toString(), cause, false, false);
            this.retryable = retryable;
        }
    }
}
