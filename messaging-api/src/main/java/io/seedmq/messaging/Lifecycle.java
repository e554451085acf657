package io.seedmq.messaging;

import io.seedmq.messaging.retry.RetryPolicy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one life cycle of everything long-lived that consumes: a {@link Consumer}, a
 * {@link ConsumerWorker}, an {@link io.seedmq.messaging.rpc.RpcServer} and an
 * {@link io.seedmq.messaging.notify.NotificationListener}.
 *
 * <pre>
 * CREATED ─start()─► STARTING ─► RUNNING ⇄ RECOVERING      (connection or subscription lost, and restored)
 *    │                  │           │          │
 *    │                  ▼           ▼          ▼
 *    │               FAILED ◄──────────────────┘           (could not start, or recovery gave up)
 *    │                              │
 *    └────stop()──────────────► STOPPING ─► STOPPED        (stop() from any live state)
 * </pre>
 *
 * <p><b>One rule for starting:</b> a service starts once. {@link #start()} on a service that is
 * starting or running does nothing; on one that is stopping, stopped or failed it throws
 * {@link IllegalStateException}: make a new one. {@link #stop(Duration)} on a service that never
 * started moves it straight to {@code STOPPED}.
 *
 * <p><b>A lost subscription is restored:</b> when the broker cancels a subscription (its queue was
 * deleted, or the node holding it went down) or the transport could not restore it with its
 * connection, the service is {@code RECOVERING} and declares the queue again (when it declares it)
 * and subscribes again under its retry policy ({@link #DEFAULT_RESUBSCRIBE_POLICY} unless its
 * options name one), back to {@code RUNNING} when that works, or {@code FAILED} with the last
 * failure (one ERROR log line) when the policy gives up. A queue not found is retried too: its
 * node may come back, or its owner declare it again.
 *
 * <p><b>Stopping is bounded:</b> a service being stopped takes no new messages, lets the handlers
 * already running finish within the bound, gives back to the broker (requeues) what it received
 * but never started, and then reports whether everything finished in time.
 *
 * <p>Thread-safe. {@link #close()} is {@link #stop()}.
 */
public interface Lifecycle extends AutoCloseable {

    /** Where a service is in its life cycle. */
    enum State {
        /** Made, not yet started. */
        CREATED,
        /** {@link #start()} runs: declaring queues and subscribing. */
        STARTING,
        /** Subscribed; messages reach the handlers. */
        RUNNING,
        /**
         * The connection was lost (the subscriptions come back with it), or a subscription was lost
         * and is being restored. Nothing is delivered meanwhile from what was lost.
         */
        RECOVERING,
        /** {@link #stop(Duration)} runs: no new messages are taken; running handlers finish. */
        STOPPING,
        /** Stopped by the application. Final. */
        STOPPED,
        /**
         * Could not start, its connection could not be recovered, or a lost subscription could not
         * be restored within its retry policy; the cause was told to the state listeners. Final.
         */
        FAILED;

        /** @return whether this state is final: {@link #STOPPED} or {@link #FAILED} */
        public boolean isTerminal() {
            return this == STOPPED || this == FAILED;
        }
    }

    /**
     * Hears a service's state changes. Called on the thread that made the change (the caller of
     * {@code start} or {@code stop}, or a transport thread for {@code RECOVERING}, back to
     * {@code RUNNING} and {@code FAILED}), one call at a time per service, in the order the changes
     * happened. It must return quickly and must not wait for the service; what it throws is
     * logged and ignored.
     */
    @FunctionalInterface
    interface StateListener {
        /**
         * @param from the state before
         * @param to the state now
         * @param cause why, for {@code RECOVERING} and {@code FAILED}; otherwise {@code null}
         */
        void onStateChange(State from, State to, Throwable cause);
    }

    /** How long {@link #stop()} lets running handlers finish unless a service's options say otherwise. */
    Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(30);

    /**
     * How a service restores a lost subscription unless its options name a retry policy: for about
     * an hour (120 attempts), waits from 1 s doubling up to 30 s, each drawn from ±20 % of its value.
     * Long enough to outlast a node's restart or an upgrade, short enough that a queue gone for good
     * ends in {@code FAILED}, which health checks see.
     */
    RetryPolicy DEFAULT_RESUBSCRIBE_POLICY = RetryPolicy.builder().maxAttempts(120)
            .initialInterval(Duration.ofSeconds(1)).multiplier(2).maxInterval(Duration.ofSeconds(30)).build();

    /** How much longer than its bound {@link #stop(Duration)} waits for a stop to report. */
    Duration STOP_MARGIN = Duration.ofSeconds(2);

    /**
     * Declares what the service consumes, subscribes, and returns once it is {@code RUNNING}: a
     * message sent after this returns reaches it. Bounded by the connection's operation timeout and
     * its retry policy (or the service's own, where it has one).
     *
     * @throws IllegalStateException if it was stopped or failed before
     * @throws MessagingException if it cannot start; it is then {@code FAILED}
     */
    void start();

    /**
     * Stops within the service's own stop timeout.
     *
     * @return whether every running handler finished in time
     * @see #stop(Duration)
     */
    boolean stop();

    /**
     * Stops taking messages, lets running handlers finish within the bound, requeues what was
     * received but not started, and returns once the service is {@code STOPPED} (or the bound has
     * passed). Idempotent: a second call waits for the first, within its own bound. A handler
     * still running after the bound goes on; the message it holds is settled when it finishes, or
     * redelivered when the connection closes. An interrupt ends the wait (the stop goes on) and
     * keeps the thread's interrupt flag.
     *
     * @param timeout how long running handlers may take
     * @return whether every running handler finished within the bound
     */
    default boolean stop(Duration timeout) {
        CompletableFuture<Boolean> stopping = stopAsync(timeout);
        try {
            return stopping.get(timeout.plus(STOP_MARGIN).toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r
                    : new MessagingException("stopping " + this + " failed", e.getCause());
        }
    }

    /**
     * Begins {@link #stop(Duration)} and returns once the service takes no new messages (its
     * subscriptions are cancelled, what never started is given back, and {@code STOPPING} has been
     * told), without waiting for running handlers: to stop several services at once, begin each,
     * then wait for all.
     *
     * @param timeout how long running handlers may take
     * @return completes, once the service is {@code STOPPED}, with whether every running handler
     *     finished within the bound; for a second stop, when the first one has finished
     */
    CompletableFuture<Boolean> stopAsync(Duration timeout);

    /**
     * Waits until the service is {@code STOPPED} or {@code FAILED}.
     *
     * @param timeout how long to wait at most
     * @return whether it has terminated
     * @throws InterruptedException if interrupted while waiting
     */
    boolean awaitTermination(Duration timeout) throws InterruptedException;

    /** @return the current state */
    State state();

    /** @param listener hears every state change from now on */
    void addStateListener(StateListener listener);

    /** @param listener a listener added before; others are ignored */
    void removeStateListener(StateListener listener);

    /** Same as {@link #stop()}. */
    @Override
    default void close() {
        stop();
    }
}
