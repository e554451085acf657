package io.seedmq.messaging.notify;

import io.seedmq.messaging.Connection;
import io.seedmq.messaging.Lifecycle;
import io.seedmq.messaging.notify.internal.DefaultNotificationListener;
import java.time.Duration;
import java.util.List;

/**
 * Consumes notifications and hands them to endpoints, as oslo.messaging's notification listener.
 *
 * <p>For every target and every priority some endpoint handles, it consumes the queue
 * {@code <topic>.<priority>} bound to the target's exchange with that key (shared by all listeners
 * without a pool), or, with a {@linkplain ListenerOptions#pool() pool}, one queue named after the
 * pool bound with all those keys. Queues are declared as oslo declares them for the options of
 * {@link ListenerOptions#topology()} (durable by default), so Python listeners and notifiers with
 * the same options can share them.
 *
 * <p>Each notification goes to every endpoint whose priorities include its priority and whose
 * filter matches, in the order given, until one answers {@code REQUEUE}. Then the message is
 * acknowledged (delivery is at-least-once: after the endpoints returned, never before), requeued
 * (only when {@link ListenerOptions#allowRequeue()}), or, when an endpoint kept failing past
 * {@link ListenerOptions#maxRedeliveries()}, rejected without requeue. Notifications no endpoint
 * wants are acknowledged and dropped. Bodies that are not oslo notifications are rejected without
 * requeue with one log line; the listener goes on.
 *
 * <pre>{@code
 * NotificationListener listener = NotificationListener.create(connection,
 *         List.of(NotificationTarget.topic("notifications")), List.of(new InstanceEvents()),
 *         ListenerOptions.builder().pool("search-indexer").build());
 * listener.start();
 * ...
 * listener.stop();
 * }</pre>
 *
 * <p>Life cycle and threads: the one {@link Lifecycle} of seedmq's services (it starts once,
 * reports {@code RECOVERING} while its connection is restored, stops within a bound); endpoints run
 * as {@link ListenerOptions} says. Thread-safe.
 */
public interface NotificationListener extends Lifecycle {

    /**
     * @param connection the connection to consume on; the listener does not close it
     * @param targets the topics (and their exchanges) to listen to
     * @param endpoints who receives the notifications, in the order they are tried
     * @return a listener with the {@linkplain ListenerOptions#defaults() default options}, not started
     * @throws IllegalArgumentException if there is no target, or no endpoint handles any priority
     */
    static NotificationListener create(Connection connection, List<NotificationTarget> targets,
                                       List<? extends NotificationEndpoint> endpoints) {
        return create(connection, targets, endpoints, ListenerOptions.defaults());
    }

    /**
     * @param connection the connection to consume on; the listener does not close it
     * @param targets the topics (and their exchanges) to listen to
     * @param endpoints who receives the notifications, in the order they are tried
     * @param options pool, requeue rule, concurrency, batching...
     * @return a listener, not started
     * @throws IllegalArgumentException if there is no target, or no endpoint handles any priority
     */
    static NotificationListener create(Connection connection, List<NotificationTarget> targets,
                                       List<? extends NotificationEndpoint> endpoints, ListenerOptions options) {
        return new DefaultNotificationListener(connection, targets, endpoints, options);
    }

    /**
     * Declares the queues and subscribes; returns once consuming.
     *
     * @throws IllegalStateException if it was stopped or failed before
     * @throws io.seedmq.messaging.DeclarationConflictException if a queue or the exchange exists with other properties
     * @throws io.seedmq.messaging.MessagingException if it cannot start; it is then FAILED
     */
    @Override
    void start();

    /**
     * Stops within {@link ListenerOptions#stopTimeout()} (see {@link #stop(Duration)}).
     *
     * @return whether every handler finished within the bound
     */
    @Override
    boolean stop();

    /**
     * Stops taking notifications, lets in-flight handlers finish within the bound, and requeues
     * what was received but not handled (a batch still filling up included). Idempotent.
     *
     * @param timeout how long in-flight handlers may take
     * @return whether every handler finished within the bound
     */
    @Override
    boolean stop(Duration timeout);

    /** @return the options it was made with */
    ListenerOptions options();

    /** @return the names of the queues it consumes */
    List<String> queueNames();
}
