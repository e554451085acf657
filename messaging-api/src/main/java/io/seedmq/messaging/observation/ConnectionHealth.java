package io.seedmq.messaging.observation;

import io.seedmq.messaging.Lifecycle;
import java.util.List;
import java.util.Objects;

/**
 * What a readiness or liveness probe needs to know about one connection, taken at one moment by
 * {@link io.seedmq.messaging.Connection#health()}: whether the connection is open, blocked by the
 * broker, recovering or closed, and the state of every consumer, worker, RPC server and
 * notification listener started on it (a worker's consumers count as the worker; a service stays
 * listed from {@code start()} until it is stopped, and one that {@code FAILED} stays listed until
 * the application stops or replaces it).
 *
 * @param status the connection's status
 * @param services the services on it, in the order they started
 */
public record ConnectionHealth(Status status, List<Service> services) {

    /** The connection's status. */
    public enum Status {
        /** Open and accepting publishes. */
        OPEN,
        /** Open, but the broker blocks publishes (a memory or disk alarm); consuming goes on. */
        BLOCKED,
        /** Lost; the transport is recovering it with its topology and subscriptions. */
        RECOVERING,
        /** Closed by the application, or lost for good. */
        CLOSED
    }

    /** What kind of service. */
    public enum Kind {
        /** A {@link io.seedmq.messaging.Consumer} made by the application. */
        CONSUMER,
        /** A {@link io.seedmq.messaging.ConsumerWorker}. */
        WORKER,
        /** An {@link io.seedmq.messaging.rpc.RpcServer}. */
        RPC_SERVER,
        /** A {@link io.seedmq.messaging.notify.NotificationListener}. */
        NOTIFICATION_LISTENER
    }

    /**
     * One service.
     *
     * @param kind what it is
     * @param name its name, as in its log lines
     * @param state its life-cycle state
     */
    public record Service(Kind kind, String name, Lifecycle.State state) {
        /** Checks the components. */
        public Service {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(state, "state");
        }
    }

    /** Copies the services. */
    public ConnectionHealth {
        Objects.requireNonNull(status, "status");
        services = List.copyOf(services);
    }

    /**
     * @return whether the connection is {@link Status#OPEN} and every service on it is
     *     {@code RUNNING}: what a readiness probe asks (a blocked connection cannot publish, a
     *     recovering one cannot consume, a service starting or stopping takes no work)
     */
    public boolean isReady() {
        return status == Status.OPEN && services.stream().allMatch(s -> s.state() == Lifecycle.State.RUNNING);
    }

    /**
     * @return whether the connection is not closed and no service on it has {@code FAILED}: what a
     *     liveness probe asks (recovering and blocked are expected to pass)
     */
    public boolean isLive() {
        return status != Status.CLOSED && services.stream().noneMatch(s -> s.state() == Lifecycle.State.FAILED);
    }
}
