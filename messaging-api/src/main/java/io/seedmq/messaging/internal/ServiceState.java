package io.seedmq.messaging.internal;

import io.seedmq.messaging.Lifecycle.State;
import io.seedmq.messaging.Lifecycle.StateListener;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state machine behind every {@link io.seedmq.messaging.Lifecycle}: the transitions it allows,
 * the start-once rule, termination, and state listeners told in order. Services hold one and
 * drive it; it does no work of its own.
 */
public final class ServiceState {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceState.class);

    private record Change(State from, State to, Throwable cause) {
    }

    private final Object owner;
    private final List<StateListener> listeners = new CopyOnWriteArrayList<>();
    private final Queue<Change> changes = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean telling = new AtomicBoolean();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final CompletableFuture<State> terminatedFuture = new CompletableFuture<>();
    private volatile State state = State.CREATED;

    /** @param owner the service, named in log lines and errors */
    public ServiceState(Object owner) {
        this.owner = Objects.requireNonNull(owner, "owner");
    }

    /** @return the current state */
    public State get() {
        return state;
    }

    /** @return whether the service is starting, running or recovering: it should take messages */
    public boolean isLive() {
        State s = state;
        return s == State.STARTING || s == State.RUNNING || s == State.RECOVERING;
    }

    /**
     * @return true when this call moved the service to {@code STARTING} and the caller must start it;
     *     false when it is already starting or running
     * @throws IllegalStateException when it was stopped or failed: a service starts once
     */
    public boolean beginStart() {
        synchronized (this) {
            switch (state) {
                case CREATED -> move(State.STARTING, null);
                case STARTING, RUNNING, RECOVERING -> {
                    return false;
                }
                default -> throw new IllegalStateException(owner + " is " + state
                        + "; a service starts once: make a new one");
            }
        }
        tell();
        return true;
    }

    /** @return true when the service is now {@code RUNNING}; false when a stop came while it started */
    public boolean running() {
        return transition(State.STARTING, State.RUNNING, null);
    }

    /**
     * Moves a live service to {@code STOPPING}. The change is told to the listeners only when the
     * caller calls {@link #announceStopping()}, once the service has stopped taking messages, so a
     * listener that sees {@code STOPPING} can rely on it.
     *
     * @return true when this call moved the service to {@code STOPPING} and the caller must stop it
     *     and then announce it; false when there is nothing to stop (it never started: now
     *     {@code STOPPED}) or another call is stopping it or it has terminated
     */
    public boolean beginStop() {
        synchronized (this) {
            switch (state) {
                case CREATED -> move(State.STOPPED, null);
                case STARTING, RUNNING, RECOVERING -> {
                    move(State.STOPPING, null);
                    return true;
                }
                default -> {
                    return false;
                }
            }
        }
        tell();
        return false;
    }

    /** Tells the listeners of the {@code STOPPING} that {@link #beginStop()} recorded. */
    public void announceStopping() {
        tell();
    }

    /** The stop finished: {@code STOPPING → STOPPED}. */
    public void stopped() {
        transition(State.STOPPING, State.STOPPED, null);
    }

    /**
     * Moves a service that has not terminated to {@code FAILED}.
     *
     * @param cause why
     * @return whether this call failed it
     */
    public boolean fail(Throwable cause) {
        synchronized (this) {
            if (state.isTerminal()) {
                return false;
            }
            move(State.FAILED, cause);
        }
        tell();
        return true;
    }

    /**
     * @param cause the connection or a subscription was lost: {@code RUNNING → RECOVERING}
     * @return whether this call moved it
     */
    public boolean recovering(Throwable cause) {
        return transition(State.RUNNING, State.RECOVERING, cause);
    }

    /**
     * What it lost is back: {@code RECOVERING → RUNNING}.
     *
     * @return whether this call moved it
     */
    public boolean recovered() {
        return transition(State.RECOVERING, State.RUNNING, null);
    }

    /**
     * @param timeout the bound
     * @return whether the service is {@code STOPPED} or {@code FAILED}
     * @throws InterruptedException if interrupted
     */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * @param timeout the bound
     * @return whether the service terminated in time; an interrupt ends the wait early, the flag kept
     */
    public boolean awaitTerminationQuietly(Duration timeout) {
        try {
            return awaitTermination(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return state.isTerminal();
        }
    }

    /** @param listener hears every change from now on */
    public void addListener(StateListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** @param listener a listener added before */
    public void removeListener(StateListener listener) {
        listeners.remove(listener);
    }

    private boolean transition(State from, State to, Throwable cause) {
        synchronized (this) {
            if (state != from) {
                return false;
            }
            move(to, cause);
        }
        tell();
        return true;
    }

    /** @return completes when the service has terminated */
    public CompletableFuture<State> termination() {
        return terminatedFuture;
    }

    /** Under the lock: records the change for {@link #tell()}, which the caller runs after releasing it. */
    private void move(State to, Throwable cause) {
        State from = state;
        state = to;
        changes.add(new Change(from, to, cause));
    }

    /**
     * Tells the listeners the recorded changes, one thread at a time and in order, outside the
     * lock: the thread that finds changes waiting and nobody telling them does it.
     */
    private void tell() {
        while (!changes.isEmpty() && telling.compareAndSet(false, true)) {
            try {
                Change c;
                while ((c = changes.poll()) != null) {
                    LOG.debug("{}: {} -> {}", owner, c.from, c.to);
                    for (StateListener l : listeners) {
                        try {
                            l.onStateChange(c.from, c.to, c.cause);
                        } catch (RuntimeException e) {
                            LOG.error("{}: a state listener threw on {} -> {}", owner, c.from, c.to, e);
                        }
                    }
                    if (c.to.isTerminal()) {
                        // After the listeners, outside the lock: who waits for termination has
                        // heard every change, and what it runs next may do anything.
                        terminated.countDown();
                        terminatedFuture.complete(c.to);
                    }
                }
            } finally {
                telling.set(false);
            }
        }
    }

    @Override
    public String toString() {
        return state.name();
    }
}
