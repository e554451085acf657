package io.seedmq.messaging.observation;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.seedmq.messaging.Connection;
import io.seedmq.messaging.internal.ConnectionMonitor;
import io.seedmq.messaging.internal.DefaultConnection;
import java.util.Locale;
import java.util.Objects;

/**
 * The meters of one connection that are not one operation (the operations are observed through
 * the {@linkplain io.seedmq.messaging.ConnectionOptions#observationRegistry() observation
 * registry}): its state, losses, recoveries and blocked time, the handlers in flight, the
 * publishes awaiting a confirm, and the messages redelivered, dead-lettered and refused as poison.
 * Needs micrometer-core, which an application that has a {@link MeterRegistry} has.
 *
 * <pre>{@code
 * MessagingMetrics.of(connection).bindTo(meterRegistry);
 * }</pre>
 *
 * <p>Every meter reads the connection when the registry asks (no work per message beyond one
 * counter add for a redelivery, dead letter or poison message, which the connection counts
 * anyway) and is tagged {@code messaging.system} and {@code seedmq.connection} (the connection's
 * {@linkplain io.seedmq.messaging.ConnectionOptions#connectionName() name}, {@code default}
 * unless set): give connections distinct names when binding more than one to a registry.
 */
public final class MessagingMetrics implements MeterBinder {

    private final DefaultConnection connection;

    private MessagingMetrics(DefaultConnection connection) {
        this.connection = connection;
    }

    /**
     * @param connection a connection made by {@link Connection#open}
     * @return its meters, to bind to a registry
     */
    public static MessagingMetrics of(Connection connection) {
        return new MessagingMetrics(DefaultConnection.of(Objects.requireNonNull(connection, "connection")));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        String name = connection.options().connectionName();
        Tags tags = Tags.of(MessagingKey.MESSAGING_SYSTEM.asString(),
                        connection.observations().system(), "seedmq.connection", name == null ? "default" : name);
        ConnectionMonitor monitor = connection.monitor();
        for (ConnectionHealth.Status status : ConnectionHealth.Status.values()) {
            Gauge.builder("seedmq.connection.state", monitor, m -> m.status() == status ? 1 : 0)
                    .description("1 for the connection's current state, 0 for the others")
                    .tags(tags).tag("state", status.name().toLowerCase(Locale.ROOT)).register(registry);
        }
        FunctionCounter.builder("seedmq.connection.losses", monitor, ConnectionMonitor::losses)
                .description("times the connection was lost").tags(tags).register(registry);
        FunctionCounter.builder("seedmq.connection.recoveries", monitor, ConnectionMonitor::recoveries)
                .description("times the connection recovered after a loss").tags(tags).register(registry);
        FunctionCounter.builder("seedmq.connection.blocked", monitor, ConnectionMonitor::blockedSeconds)
                .description("time the broker blocked publishes (resource alarms), the current block included")
                .baseUnit("seconds").tags(tags).register(registry);
        Gauge.builder("seedmq.handlers.active", connection, DefaultConnection::activeHandlers)
                .description("messages taken by the connection's consumers, workers, RPC servers and listeners "
                        + "and not yet done with: running a handler or waiting for a handler thread")
                .tags(tags).register(registry);
        Gauge.builder("seedmq.publishes.unconfirmed", connection, c -> c.transport().unconfirmedPublishes())
                .description("publishes the broker has not yet confirmed").tags(tags).register(registry);
        Gauge.builder("seedmq.publishes.window.used", connection, c -> c.publishWindow().unconfirmed())
                .description("room taken in the window of unconfirmed asynchronous publishes (see maxUnconfirmedPublishes)")
                .tags(tags).register(registry);
        Gauge.builder("seedmq.publishes.window.waiting", connection, c -> c.publishWindow().waiting())
                .description("publishAsync callers waiting for room in the window").tags(tags).register(registry);
        FunctionCounter.builder("seedmq.messages.redelivered", monitor, ConnectionMonitor::redeliveredCount)
                .description("messages delivered flagged redelivered").tags(tags).register(registry);
        FunctionCounter.builder("seedmq.messages.dead.lettered", monitor, ConnectionMonitor::deadLetteredCount)
                .description("messages rejected without requeue (or republished to the dead-letter exchange) "
                        + "after their handler failed for good").tags(tags).register(registry);
        FunctionCounter.builder("seedmq.messages.poison", monitor, ConnectionMonitor::poisonCount)
                .description("messages refused before or while decoding: too large, a content type not accepted, "
                        + "not decodable").tags(tags).register(registry);
    }

    @Override
    public String toString() {
        return "MessagingMetrics[" + connection + "]";
    }
}
