package io.seedmq.messaging;

import io.seedmq.messaging.internal.DefaultConsumer;
import io.seedmq.messaging.retry.RetryPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kombu's ConsumerMixin in Java: the subclass says which consumers it wants, the worker owns the
 * loop. {@link #run()} starts the consumers and blocks until {@link #stop()}; the life cycle is
 * observable ({@link #state()}, {@link #addStateListener}) and the hooks say what happened.
 *
 * <pre>{@code
 * class Worker extends ConsumerWorker {
 *     Worker(Connection c) { super(c); }
 *
 *     protected List<Consumer> consumers(ConsumerFactory factory) {
 *         return List.of(factory.create(
 *                 ConsumerOptions.builder().queue(Queue.named("task_queue")).prefetch(1).build(),
 *                 this::processTask));
 *     }
 *
 *     private void processTask(Message message) {
 *         System.out.println(message.payload(String.class));
 *         message.ack();
 *     }
 * }
 * Worker worker = new Worker(connection);
 * worker.start();            // or run() on a thread of your own
 * ...
 * worker.stop();             // in-flight handlers finish, prefetched messages are requeued
 * }</pre>
 *
 * <p>Or without a subclass: {@code ConsumerWorker.builder(connection).consume(options, handler).build()}.
 *
 * <p>Recovery belongs to the transport (on RabbitMQ, amqp-client's automatic recovery restores
 * the connection, topology and subscriptions); the worker reports it: {@code RECOVERING} with
 * {@link #onConnectionError} when the connection is lost, back to {@code CONSUMING} with
 * {@link #onConnectionRevived} when it is restored. Delivery is at-least-once: messages in flight
 * during a loss are redelivered.
 */
public abstract class ConsumerWorker implements AutoCloseable {

    /** How long {@link #stop()} lets in-flight handlers finish unless told otherwise. */
    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerWorker.class);
    private static final AtomicInteger THREADS = new AtomicInteger();

    /** Makes the worker's consumers, wiring the worker's decode-error hook into them. */
    @FunctionalInterface
    public interface ConsumerFactory {
        /**
         * @param options queues and how to consume them
         * @param handler receives the messages
         * @return a consumer the worker starts and stops
         */
        Consumer create(ConsumerOptions options, MessageHandler handler);
    }

    /** Hears every state change; called on the thread that made it, must not block. */
    @FunctionalInterface
    public interface StateListener {
        /**
         * @param from the state before
         * @param to the state now
         */
        void onStateChange(WorkerState from, WorkerState to);
    }

    private final Connection connection;
    private final AtomicReference<WorkerState> state = new AtomicReference<>(WorkerState.STOPPED);
    private final List<StateListener> stateListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer> running = new CopyOnWriteArrayList<>();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private volatile Duration stopTimeout = DEFAULT_STOP_TIMEOUT;
    private volatile RetryPolicy retryPolicy;
    private volatile boolean used;
    private volatile boolean lastStopClean = true;
    private final ConnectionListener connectionListener = new ConnectionListener() {
        @Override
        public void onConnectionLost(Throwable cause) {
            if (transition(WorkerState.CONSUMING, WorkerState.RECOVERING)) {
                safely(() -> onConnectionError(cause), "onConnectionError");
            }
        }

        @Override
        public void onRecovered() {
            if (transition(WorkerState.RECOVERING, WorkerState.CONSUMING)) {
                safely(ConsumerWorker.this::onConnectionRevived, "onConnectionRevived");
            }
        }

        @Override
        public void onRecoveryFailed(Throwable cause) {
            safely(() -> onConnectionError(cause), "onConnectionError");
            stopRequested.countDown();
        }
    };

    /** @param connection the connection the consumers use; the worker does not close it */
    protected ConsumerWorker(Connection connection) {
        this.connection = Objects.requireNonNull(connection, "connection");
    }

    /**
     * @param connection the connection
     * @return a builder for a worker made of consumers and lambdas
     */
    public static Builder builder(Connection connection) {
        return new Builder(connection);
    }

    /**
     * Says which consumers this worker runs (kombu's {@code get_consumers}). Called once, by {@link #run()}.
     *
     * @param factory makes consumers wired to this worker's hooks
     * @return the consumers, not started
     */
    protected abstract List<Consumer> consumers(ConsumerFactory factory);

    /** @return the connection the worker consumes on */
    protected final Connection connection() {
        return connection;
    }

    /** @param cause the connection was lost (state is now RECOVERING) or could not be used */
    protected void onConnectionError(Throwable cause) {
        LOG.warn("{}: connection error: {}", this, cause.toString());
    }

    /** The connection and the subscriptions are back (state is CONSUMING again). */
    protected void onConnectionRevived() {
        LOG.info("{}: connection revived", this);
    }

    /** @param consumers the consumers, all subscribed (state is now CONSUMING) */
    protected void onConsumeReady(List<Consumer> consumers) {
    }

    /**
     * A message was refused before a handler saw it (content type not accepted, body not
     * decodable). It is already rejected without requeue.
     *
     * @param message the message
     * @param error why
     */
    protected void onDecodeError(Message message, MessagingException error) {
        LOG.warn("{}: rejected {} without requeue: {}", this, message, error.getMessage());
    }

    /** @param timeout how long {@link #stop()} lets in-flight handlers finish */
    public final void stopTimeout(Duration timeout) {
        this.stopTimeout = Objects.requireNonNull(timeout, "timeout");
    }

    /**
     * @param policy how starting the consumers is retried while the broker cannot be reached (the
     *     first connect of the worker's loop; later losses are recovered by the transport); the
     *     connection's {@link ConnectionOptions#retryPolicy()} unless set. {@link RetryPolicy#forever()}
     *     waits for the broker as long as it takes; {@link #stop()} ends the waiting.
     */
    public final void retryPolicy(RetryPolicy policy) {
        this.retryPolicy = Objects.requireNonNull(policy, "policy");
    }

    /** @return the current state */
    public final WorkerState state() {
        return state.get();
    }

    /** @param listener hears every state change from now on */
    public final void addStateListener(StateListener listener) {
        stateListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Starts the consumers and blocks until {@link #stop()} is called (or recovery gives up). A
     * worker runs once.
     *
     * @throws MessagingException if the consumers cannot be started; the worker is then STOPPED
     */
    public final void run() {
        synchronized (this) {
            if (used) {
                throw new IllegalStateException(this + " already ran; a worker runs once");
            }
            used = true;
        }
        setState(WorkerState.STARTING);
        connection.addListener(connectionListener);
        try {
            try {
                List<Consumer> consumers = consumers(this::createConsumer);
                RetryPolicy policy = startPolicy();
                for (Consumer consumer : consumers) {
                    policy.run(this + ": start " + consumer, consumer::start);
                    running.add(consumer);
                }
            } catch (RuntimeException e) {
                safely(() -> onConnectionError(e), "onConnectionError");
                cancelAll();
                ready.completeExceptionally(e);
                throw e;
            }
            if (stopRequested.getCount() > 0) {
                setState(WorkerState.CONSUMING);
                safely(() -> onConsumeReady(List.copyOf(running)), "onConsumeReady");
            }
            ready.complete(null);
            awaitUninterruptibly(stopRequested);
            shutDown();
        } finally {
            connection.removeListener(connectionListener);
            setState(WorkerState.STOPPED);
            stopped.countDown();
        }
    }

    /**
     * Runs the worker on a new thread and returns once it is consuming.
     *
     * @return the thread running it
     * @throws MessagingException if the consumers cannot be started
     */
    public final Thread start() {
        Thread thread = new Thread(() -> {
            try {
                run();
            } catch (RuntimeException e) {
                LOG.error("{} failed", this, e);
            }
        }, "seedmq-worker-" + THREADS.incrementAndGet());
        thread.start();
        try {
            ready.get(connection.options().operationTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            stop(Duration.ZERO);
            throw new OperationTimeoutException(this + " did not start within " + connection.options().operationTimeout().multipliedBy(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MessagingException("interrupted while starting " + this, e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw io.seedmq.messaging.internal.Futures.rethrow(e.getCause());
        }
        return thread;
    }

    /**
     * Stops taking messages, lets in-flight handlers finish within the stop timeout, and waits
     * for {@link #run()} to return. Messages prefetched but not handled are requeued.
     *
     * @return whether every handler finished within the bound
     */
    public final boolean stop() {
        return stop(stopTimeout);
    }

    /**
     * @param timeout how long in-flight handlers may take to finish
     * @return whether every handler finished within the bound
     */
    public final boolean stop(Duration timeout) {
        this.stopTimeout = timeout;
        stopRequested.countDown();
        if (!used) {
            return true;
        }
        try {
            // run() itself spends at most stopTimeout on handlers; the margin covers cancels.
            return stopped.await(timeout.toMillis() + connection.options().operationTimeout().toMillis(),
                    TimeUnit.MILLISECONDS) && lastStopClean;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Same as {@link #stop()}. */
    @Override
    public final void close() {
        stop();
    }

    private RetryPolicy startPolicy() {
        RetryPolicy policy = retryPolicy != null ? retryPolicy : connection.options().retryPolicy();
        // A stop request ends the retrying, so a worker waiting for its broker can always be stopped.
        return policy.toBuilder().retryOn(e -> stopRequested.getCount() > 0 && policy.isRetryable(e)).build();
    }

    private void shutDown() {
        cancelAll();
        // STOPPING once the consumers are cancelled: from then on no new delivery reaches a handler.
        setState(WorkerState.STOPPING);
        Instant deadline = Instant.now().plus(stopTimeout);
        boolean clean = true;
        for (Consumer consumer : running) {
            if (consumer instanceof DefaultConsumer c) {
                Duration left = Duration.between(Instant.now(), deadline);
                if (!c.awaitIdle(left.isNegative() ? Duration.ZERO : left)) {
                    clean = false;
                    LOG.warn("{}: handlers of {} still running after {}", this, consumer, stopTimeout);
                }
            }
        }
        lastStopClean = clean;
    }

    private void cancelAll() {
        for (Consumer consumer : running) {
            try {
                consumer.cancel();
            } catch (RuntimeException e) {
                LOG.debug("{}: cancelling {} failed", this, consumer, e);
            }
        }
    }

    private Consumer createConsumer(ConsumerOptions options, MessageHandler handler) {
        return connection.consumer(options.toBuilder().onDecodeError((message, error) -> {
            safely(() -> onDecodeError(message, error), "onDecodeError");
        }).build(), handler);
    }

    private boolean transition(WorkerState from, WorkerState to) {
        if (state.compareAndSet(from, to)) {
            fire(from, to);
            return true;
        }
        return false;
    }

    private void setState(WorkerState to) {
        WorkerState from = state.getAndSet(to);
        if (from != to) {
            fire(from, to);
        }
    }

    private void fire(WorkerState from, WorkerState to) {
        LOG.debug("{}: {} -> {}", this, from, to);
        for (StateListener l : stateListeners) {
            safely(() -> l.onStateChange(from, to), "state listener");
        }
    }

    private void safely(Runnable hook, String name) {
        try {
            hook.run();
        } catch (RuntimeException e) {
            LOG.error("{}: {} threw", this, name, e);
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
                // An interrupt asks the worker to stop, as Ctrl+C does in kombu's run().
                latch.countDown();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName().isEmpty() ? "ConsumerWorker" : getClass().getSimpleName();
    }

    /** Builds a worker from consumer options and handlers, without a subclass. */
    public static final class Builder {
        private final Connection connection;
        private final List<ConsumerOptions> options = new ArrayList<>();
        private final List<MessageHandler> handlers = new ArrayList<>();
        private DecodeErrorHandler decodeErrorHandler;
        private Duration stopTimeout = DEFAULT_STOP_TIMEOUT;
        private RetryPolicy retryPolicy;
        private String name = "ConsumerWorker";

        private Builder(Connection connection) {
            this.connection = Objects.requireNonNull(connection, "connection");
        }

        /**
         * @param consumerOptions what to consume
         * @param handler the handler
         * @return this
         */
        public Builder consume(ConsumerOptions consumerOptions, MessageHandler handler) {
            options.add(Objects.requireNonNull(consumerOptions, "consumerOptions"));
            handlers.add(Objects.requireNonNull(handler, "handler"));
            return this;
        }

        /**
         * @param handler hears about refused messages
         * @return this
         */
        public Builder onDecodeError(DecodeErrorHandler handler) {
            this.decodeErrorHandler = handler;
            return this;
        }

        /**
         * @param timeout how long stop() lets handlers finish
         * @return this
         */
        public Builder stopTimeout(Duration timeout) {
            this.stopTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * @param policy how starting the consumers is retried (see {@link ConsumerWorker#retryPolicy(RetryPolicy)})
         * @return this
         */
        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * @param name the worker's name in logs and thread names
         * @return this
         */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** @return the worker, not started */
        public ConsumerWorker build() {
            if (options.isEmpty()) {
                throw new IllegalStateException("a worker needs at least one consumer");
            }
            List<ConsumerOptions> opts = List.copyOf(options);
            List<MessageHandler> hs = List.copyOf(handlers);
            DecodeErrorHandler onDecode = decodeErrorHandler;
            String workerName = name;
            ConsumerWorker worker = new ConsumerWorker(connection) {
                @Override
                protected List<Consumer> consumers(ConsumerFactory factory) {
                    List<Consumer> made = new ArrayList<>();
                    for (int i = 0; i < opts.size(); i++) {
                        made.add(factory.create(opts.get(i), hs.get(i)));
                    }
                    return made;
                }

                @Override
                protected void onDecodeError(Message message, MessagingException error) {
                    if (onDecode != null) {
                        onDecode.onDecodeError(message, error);
                    } else {
                        super.onDecodeError(message, error);
                    }
                }

                @Override
                public String toString() {
                    return workerName;
                }
            };
            worker.stopTimeout(stopTimeout);
            if (retryPolicy != null) {
                worker.retryPolicy(retryPolicy);
            }
            return worker;
        }
    }
}
