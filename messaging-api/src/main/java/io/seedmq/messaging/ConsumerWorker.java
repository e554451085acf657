package io.seedmq.messaging;

import io.seedmq.messaging.internal.ConnectionMonitor;
import io.seedmq.messaging.internal.DefaultConsumer;
import io.seedmq.messaging.internal.ServiceState;
import io.seedmq.messaging.observation.ConnectionHealth;
import io.seedmq.messaging.retry.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kombu's ConsumerMixin in Java: the subclass says which consumers it wants, the worker owns their
 * life. It has the one {@link Lifecycle} of seedmq's services: {@link #start()} returns once every
 * consumer is subscribed, {@link #run()} starts and then blocks until the worker is stopped (as
 * kombu's {@code run()}), {@link #stop(Duration)} stops every consumer within one bound.
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
 * ShutdownHooks.stopOnExit(worker, Duration.ofSeconds(10), connection);
 * worker.run();              // or start() and go on
 * }</pre>
 *
 * <p>Or without a subclass: {@code ConsumerWorker.builder(connection).consume(options, handler).build()}.
 *
 * <p>The worker starts no thread: its consumers' handlers run where {@link ConsumerOptions} says.
 * Recovery belongs to the transport (on RabbitMQ, amqp-client's automatic recovery restores the
 * connection, topology and subscriptions); the worker reports it: {@code RECOVERING} with
 * {@link #onConnectionError} when the connection is lost, back to {@code RUNNING} with
 * {@link #onConnectionRevived} when it is restored. A subscription the transport does not restore
 * (the broker cancelled it: its queue was deleted or its node went down; or its recovery failed)
 * is restored by its consumer, which declares its queue again and subscribes again under the
 * consumer's retry policy, else the worker's, else {@link Lifecycle#DEFAULT_RESUBSCRIBE_POLICY}:
 * the worker is {@code RECOVERING} meanwhile, and {@code RUNNING} again once every consumer is.
 * When a consumer fails (its subscription could not be restored, the connection was lost for
 * good), the worker stops the others and is {@code FAILED}: it never stays silently half-alive.
 * Delivery is at-least-once: messages in flight during a loss are redelivered.
 */
public abstract class ConsumerWorker implements Lifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerWorker.class);

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

    private final Connection connection;
    private final ServiceState state = new ServiceState(this);
    private final List<Consumer> running = new CopyOnWriteArrayList<>();
    private volatile Duration stopTimeout = DEFAULT_STOP_TIMEOUT;
    private volatile RetryPolicy retryPolicy;
    private volatile boolean lastStopClean = true;
    private final ConnectionListener connectionListener = new ConnectionListener() {
        @Override
        public void onConnectionLost(Throwable cause) {
            if (state.get() == State.RUNNING) {
                state.recovering(cause);
                safely(() -> onConnectionError(cause), "onConnectionError");
            }
        }

        @Override
        public void onRecovered() {
            revivedIfAllRunning();
        }
    };
    private final StateListener consumerWatcher = (from, to, cause) -> {
        if (to == State.FAILED && state.isLive() && state.get() != State.STARTING) {
            fail(cause);
        } else if (to == State.RECOVERING && state.recovering(cause)) {
            // A subscription was lost (the connection's loss was heard first): the same hooks, both ways.
            safely(() -> onConnectionError(cause), "onConnectionError");
        } else if (from == State.RECOVERING && to == State.RUNNING) {
            revivedIfAllRunning();
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
     * Says which consumers this worker runs (kombu's {@code get_consumers}). Called by
     * {@link #start()}, again on each retried attempt to start (as kombu calls it on each connect).
     *
     * @param factory makes consumers wired to this worker's hooks
     * @return the consumers, not started
     */
    protected abstract List<Consumer> consumers(ConsumerFactory factory);

    /** @return the connection the worker consumes on */
    protected final Connection connection() {
        return connection;
    }

    /**
     * Called when the connection was lost or a consumer lost its subscription (state is now
     * {@code RECOVERING}), when the worker could not start, and when it failed. Runs on the thread
     * that saw it; must not block.
     *
     * @param cause what happened
     */
    protected void onConnectionError(Throwable cause) {
        LOG.warn("{}: connection error: {}", this, cause.toString());
    }

    /** The connection and every subscription are back (state is {@code RUNNING} again). */
    protected void onConnectionRevived() {
        LOG.info("{}: connection revived", this);
    }

    /** Back to {@code RUNNING} once every consumer is: the connection is back and every subscription restored. */
    private void revivedIfAllRunning() {
        if (state.get() == State.RECOVERING && running.stream().allMatch(c -> c.state() == State.RUNNING)
                && state.recovered()) {
            safely(ConsumerWorker.this::onConnectionRevived, "onConnectionRevived");
        }
    }

    /** @param consumers the consumers, all subscribed (state is now {@code RUNNING}) */
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
     * @param policy how starting the consumers is retried while the broker cannot be reached; the
     *     connection's {@link ConnectionOptions#retryPolicy()} unless set. {@link RetryPolicy#forever()}
     *     waits for the broker as long as it takes; {@link #stop()} from another thread ends the waiting.
     *     Also how a consumer whose options name no policy restores a lost subscription
     *     ({@link Lifecycle#DEFAULT_RESUBSCRIBE_POLICY} unless set).
     */
    public final void retryPolicy(RetryPolicy policy) {
        this.retryPolicy = Objects.requireNonNull(policy, "policy");
    }

    @Override
    public final State state() {
        return state.get();
    }

    @Override
    public final void addStateListener(StateListener listener) {
        state.addListener(listener);
    }

    @Override
    public final void removeStateListener(StateListener listener) {
        state.removeListener(listener);
    }

    /**
     * Makes the consumers and starts them, retrying under the worker's retry policy, and returns
     * once all are subscribed.
     *
     * @throws MessagingException if the consumers cannot be started; the worker is then {@code FAILED}
     * @throws IllegalStateException if the worker was stopped or failed before
     */
    @Override
    public final void start() {
        if (!state.beginStart()) {
            return;
        }
        ConnectionMonitor.track(connection, this, ConnectionHealth.Kind.WORKER, toString());
        connection.addListener(connectionListener);
        try {
            startPolicy().run(this + ": start consumers", this::startConsumers);
        } catch (RuntimeException e) {
            if (state.get() == State.STOPPING || state.get() == State.STOPPED) {
                // stop() came while starting and ended the retrying: the stopper finishes the job.
                LOG.debug("{}: start abandoned for stop: {}", this, e.toString());
                return;
            }
            safely(() -> onConnectionError(e), "onConnectionError");
            stopConsumers(Duration.ZERO);
            connection.removeListener(connectionListener);
            state.fail(e);
            throw e;
        }
        if (state.running()) {
            safely(() -> onConsumeReady(List.copyOf(running)), "onConsumeReady");
            if (running.stream().anyMatch(c -> c.state() == State.RECOVERING)
                    && state.recovering(new MessagingException(this + ": a consumer is recovering"))) {
                revivedIfAllRunning();
            }
        }
    }

    /** One attempt: every consumer started, or none left running. */
    private void startConsumers() {
        List<Consumer> consumers = consumers(this::createConsumer);
        if (consumers.isEmpty()) {
            throw new IllegalStateException(this + " has no consumers to run");
        }
        try {
            for (Consumer consumer : consumers) {
                if (!state.isLive()) {
                    throw new MessagingException(this + " was stopped while starting");
                }
                consumer.addStateListener(consumerWatcher);
                running.add(consumer);
                consumer.start();
            }
        } catch (RuntimeException e) {
            stopConsumers(Duration.ZERO);
            throw e;
        }
    }

    /**
     * kombu's {@code run()}: starts the worker and blocks until it is stopped (by {@link #stop()}
     * from another thread or a shutdown hook) or has failed. An interrupt stops it.
     *
     * @throws MessagingException if the consumers cannot be started
     */
    public final void run() {
        start();
        boolean interrupted = false;
        while (true) {
            try {
                if (state.awaitTermination(Duration.ofDays(365))) {
                    break;
                }
            } catch (InterruptedException e) {
                // An interrupt asks the worker to stop, as Ctrl+C does in kombu's run().
                interrupted = true;
                stop();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops within the worker's stop timeout (see {@link #stopTimeout(Duration)}).
     *
     * @return whether every handler finished within the bound
     */
    @Override
    public final boolean stop() {
        return stop(stopTimeout);
    }

    /**
     * Stops every consumer: none takes new messages, prefetched ones are requeued, and running
     * handlers get one shared bound to finish.
     *
     * @param timeout how long in-flight handlers may take to finish
     * @return whether every handler finished within the bound
     */
    @Override
    public final boolean stop(Duration timeout) {
        return Lifecycle.super.stop(timeout);
    }

    /**
     * Begins stopping every consumer (each stops taking messages and gives back what never
     * started), tells {@code STOPPING}, and completes when all are stopped.
     *
     * @param timeout how long in-flight handlers may take to finish
     * @return completes with whether every handler finished within the bound
     */
    @Override
    public final CompletableFuture<Boolean> stopAsync(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        // The consumers stop taking before the worker reads STOPPING, which means nothing new is taken.
        CompletableFuture<Boolean> first = state.isLive() ? stopConsumers(timeout)
                : CompletableFuture.completedFuture(true);
        if (!state.beginStop()) {
            ConnectionMonitor.untrack(connection, this);
            return state.termination().thenApply(s -> lastStopClean);
        }
        // And any a start in progress added meanwhile.
        CompletableFuture<Boolean> stopped = first.thenCombine(stopConsumers(timeout), (a, b) -> a && b);
        state.announceStopping();
        return stopped.thenApply(clean -> {
            connection.removeListener(connectionListener);
            lastStopClean = clean;
            state.stopped();
            ConnectionMonitor.untrack(connection, this);
            return clean;
        });
    }

    @Override
    public final boolean awaitTermination(Duration timeout) throws InterruptedException {
        return state.awaitTermination(timeout);
    }

    /** Same as {@link #stop()}. */
    @Override
    public final void close() {
        stop();
    }

    private void fail(Throwable cause) {
        LOG.error("{}: a consumer failed; stopping the others: {}", this, String.valueOf(cause));
        safely(() -> onConnectionError(cause), "onConnectionError");
        stopConsumers(Duration.ZERO);
        connection.removeListener(connectionListener);
        state.fail(cause);
    }

    private RetryPolicy startPolicy() {
        RetryPolicy policy = retryPolicy != null ? retryPolicy : connection.options().retryPolicy();
        // A stop request ends the retrying, so a worker waiting for its broker can always be stopped.
        return policy.toBuilder().retryOn(e -> state.get() == State.STARTING && policy.isRetryable(e)).build();
    }

    /** Begins stopping every consumer at once; their handlers share the one bound. */
    private CompletableFuture<Boolean> stopConsumers(Duration timeout) {
        List<Consumer> consumers = List.copyOf(running);
        running.clear();
        List<CompletableFuture<Boolean>> stops = new ArrayList<>();
        for (Consumer consumer : consumers) {
            consumer.removeStateListener(consumerWatcher);
            try {
                stops.add(consumer.stopAsync(timeout));
            } catch (RuntimeException e) {
                LOG.debug("{}: stopping {} failed", this, consumer, e);
                stops.add(CompletableFuture.completedFuture(false));
            }
        }
        return CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new))
                .thenApply(x -> stops.stream().allMatch(CompletableFuture::join));
    }

    private Consumer createConsumer(ConsumerOptions options, MessageHandler handler) {
        RetryPolicy own = options.retryPolicy() != null ? options.retryPolicy() : retryPolicy;
        // The worker's own policy retries the whole start, so each consumer tries once per attempt;
        // a subscription lost later is restored by its consumer.
        return DefaultConsumer.forWorker(connection, options.toBuilder().retryPolicy(RetryPolicy.none()).onDecodeError((message, error) -> {
            safely(() -> onDecodeError(message, error), "onDecodeError");
        }).build(), handler, own != null ? own : DEFAULT_RESUBSCRIBE_POLICY);
    }

    private void safely(Runnable hook, String name) {
        try {
            hook.run();
        } catch (RuntimeException e) {
            LOG.error("{}: {} threw", this, name, e);
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
         * @param name the worker's name in log lines
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
