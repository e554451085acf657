package io.seedmq.messaging.internal;

import io.seedmq.messaging.ConnectionListener;
import io.seedmq.messaging.Lifecycle;
import io.seedmq.messaging.observation.ConnectionHealth;
import io.seedmq.messaging.observation.ConnectionHealth.Kind;
import io.seedmq.messaging.observation.ConnectionHealth.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a connection keeps for its health view and its meters: its status, the services started on
 * it, and counts of rare events (losses, recoveries, blocked time, redeliveries, dead letters,
 * poison). Kept whether or not anything reads it: each count changes on a rare event only, except
 * redeliveries, one add per redelivered message.
 */
public final class ConnectionMonitor implements ConnectionListener {

    private volatile Status status = Status.OPEN;
    private volatile boolean blocked;
    /** {@link System#nanoTime()} when the current block began; meaningful while {@link #blocked}. */
    private volatile long blockedSince;
    private final AtomicLong blockedNanos = new AtomicLong();
    private final LongAdder losses = new LongAdder();
    private final LongAdder recoveries = new LongAdder();
    private final LongAdder redelivered = new LongAdder();
    private final LongAdder deadLettered = new LongAdder();
    private final LongAdder poison = new LongAdder();
    /** Services by identity, in start order (a sequence number keeps the order). */
    private final Map<Lifecycle, Tracked> services = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();

    private record Tracked(long order, Kind kind, String name) {
    }

    @Override
    public void onConnectionLost(Throwable cause) {
        losses.increment();
        status = Status.RECOVERING;
    }

    @Override
    public void onRecovered() {
        recoveries.increment();
        status = Status.OPEN;
    }

    @Override
    public void onRecoveryFailed(Throwable cause) {
        status = Status.CLOSED;
    }

    @Override
    public synchronized void onBlocked(String reason) {
        if (!blocked) {
            blockedSince = System.nanoTime();
            blocked = true;
        }
    }

    @Override
    public synchronized void onUnblocked() {
        if (blocked) {
            blockedNanos.addAndGet(System.nanoTime() - blockedSince);
            blocked = false;
        }
    }

    @Override
    public void onClosed() {
        status = Status.CLOSED;
    }

    /** The connection was closed by the application (told before the transport says so). */
    void closed() {
        status = Status.CLOSED;
    }

    /**
     * Lists a service built on the public API (a worker) in its connection's health view; a
     * connection seedmq did not open has no health view, and the call does nothing.
     *
     * @param connection the service's connection
     * @param service the service
     * @param kind what kind it is
     * @param name its name
     */
    public static void track(io.seedmq.messaging.Connection connection, Lifecycle service, Kind kind, String name) {
        if (connection instanceof DefaultConnection c) {
            c.monitor().track(service, kind, name);
        }
    }

    /**
     * @param connection the service's connection
     * @param service a service listed by {@link #track(io.seedmq.messaging.Connection, Lifecycle, Kind, String)}
     */
    public static void untrack(io.seedmq.messaging.Connection connection, Lifecycle service) {
        if (connection instanceof DefaultConnection c) {
            c.monitor().untrack(service);
        }
    }

    /**
     * @param service a service that started on the connection
     * @param kind what it is
     * @param name its name
     */
    public void track(Lifecycle service, Kind kind, String name) {
        services.computeIfAbsent(service, s -> new Tracked(sequence.incrementAndGet(), kind, name));
    }

    /** @param service a service the application stopped: no longer listed */
    public void untrack(Lifecycle service) {
        services.remove(service);
    }

    /** One message came flagged redelivered. */
    public void redelivered() {
        redelivered.increment();
    }

    /** One message was dead-lettered (rejected without requeue, or republished with its cause) after its handler failed. */
    public void deadLettered() {
        deadLettered.increment();
    }

    /** One message was refused as poison: too large, a content type not accepted, or not decodable. */
    public void poison() {
        poison.increment();
    }

    /** @return the health view now */
    public ConnectionHealth health() {
        List<Map.Entry<Lifecycle, Tracked>> entries = new ArrayList<>(services.entrySet());
        entries.sort((a, b) -> Long.compare(a.getValue().order(), b.getValue().order()));
        List<ConnectionHealth.Service> list = new ArrayList<>(entries.size());
        for (Map.Entry<Lifecycle, Tracked> e : entries) {
            list.add(new ConnectionHealth.Service(e.getValue().kind(), e.getValue().name(), e.getKey().state()));
        }
        return new ConnectionHealth(status(), list);
    }

    /** @return the status: closed and recovering win over blocked */
    public Status status() {
        Status s = status;
        return s == Status.OPEN && blocked ? Status.BLOCKED : s;
    }

    /** @return connection losses so far */
    public long losses() {
        return losses.sum();
    }

    /** @return recoveries so far */
    public long recoveries() {
        return recoveries.sum();
    }

    /** @return seconds the broker blocked publishes so far, the current block included */
    public double blockedSeconds() {
        long nanos = blockedNanos.get();
        if (blocked) {
            nanos += System.nanoTime() - blockedSince;
        }
        return nanos / 1e9;
    }

    /** @return redelivered messages so far */
    public long redeliveredCount() {
        return redelivered.sum();
    }

    /** @return dead-lettered messages so far */
    public long deadLetteredCount() {
        return deadLettered.sum();
    }

    /** @return poison messages so far */
    public long poisonCount() {
        return poison.sum();
    }
}
