package io.seedmq.messaging.notify;

import io.seedmq.messaging.Connection;
import io.seedmq.messaging.notify.internal.DefaultNotifier;
import io.seedmq.messaging.oslo.Context;

/**
 * Sends notifications, as oslo.messaging's {@code Notifier}: one method per priority, each taking
 * the request context, an event type and a payload (any value Jackson turns into JSON, usually a
 * map or a record).
 *
 * <pre>{@code
 * Notifier notifier = Notifier.create(connection, "compute.host1", NotifierOptions.defaults());
 * notifier.info(ctx, "compute.instance.create.end", Map.of("instance_id", "i-1", "state", "active"));
 * notifier.prepare("compute.host2").error(ctx, "compute.instance.create.error", Map.of("reason", "no host"));
 * }</pre>
 *
 * <p>On the wire (DESIGN §5): for every topic, a message to the exchange (default
 * {@code openstack}) with routing key {@code <topic>.<priority>} holding {@code message_id},
 * {@code publisher_id}, {@code event_type}, {@code priority}, {@code payload}, {@code timestamp},
 * {@code _unique_id} and a {@code _context_<key>} per context entry that is not
 * {@linkplain NotifierOptions#sensitiveContextKey() sensitive}.
 *
 * <p>Thread-safe. Every method blocks until each messaging driver's publish was confirmed by the
 * broker (bounded by the connection's operation timeout), then returns; unlike oslo, which logs
 * and carries on, a failure is reported to the caller as a {@link NotificationException}.
 */
public interface Notifier {

    /**
     * @param connection the connection to publish on; the notifier does not close it
     * @param publisherId the {@code publisher_id} of its notifications, for example {@code compute.host1}
     * @param options topics, exchange, drivers...
     * @return a notifier
     */
    static Notifier create(Connection connection, String publisherId, NotifierOptions options) {
        return DefaultNotifier.create(connection, publisherId, options);
    }

    /**
     * @param connection the connection to publish on
     * @param publisherId the {@code publisher_id} of its notifications
     * @return a notifier with the {@linkplain NotifierOptions#defaults() defaults}
     */
    static Notifier create(Connection connection, String publisherId) {
        return create(connection, publisherId, NotifierOptions.defaults());
    }

    /** @return the {@code publisher_id} of its notifications */
    String publisherId();

    /** @return its options */
    NotifierOptions options();

    /**
     * @param publisherId another publisher id
     * @return a notifier sharing this one's options and connection, sending as that publisher
     */
    Notifier prepare(String publisherId);

    /**
     * Sends one notification.
     *
     * @param context the request context; sensitive entries are stripped
     * @param priority the priority
     * @param eventType what happened, for example {@code compute.instance.create.end}
     * @param payload the payload; {@code null} is sent as JSON null
     * @throws NotificationException if a driver failed to send it
     * @throws io.seedmq.messaging.DecodeException if the payload cannot be written as JSON
     */
    void notify(Context context, Priority priority, String eventType, Object payload);

    /**
     * Sends at {@link Priority#AUDIT}.
     *
     * @param context the request context
     * @param eventType the event type
     * @param payload the payload
     */
    default void audit(Context context, String eventType, Object payload) {
        notify(context, Priority.AUDIT, eventType, payload);
    }

    /**
     * Sends at {@link Priority#DEBUG}.
     *
     * @param context the request context
     * @param eventType the event type
     * @param payload the payload
     */
    default void debug(Context context, String eventType, Object payload) {
        notify(context, Priority.DEBUG, eventType, payload);
    }

    /**
     * Sends at {@link Priority#INFO}.
     *
     * @param context the request context
     * @param eventType the event type
     * @param payload the payload
     */
    default void info(Context context, String eventType, Object payload) {
        notify(context, Priority.INFO, eventType, payload);
    }

    /**
     * Sends at {@link Priority#WARN}.
     *
     * @param context the request context
     * @param eventType the event type
     * @param payload the payload
     */
    default void warn(Context context, String eventType, Object payload) {
        notify(context, Priority.WARN, eventType, payload);
    }

    /**
     * Same as {@link #warn}: sent as {@code WARN}, as oslo's {@code warning} is.
     *
     * @param context the request context
     * @param eventType the event type
     * @param payload the payload
     */
    default void warning(Context context, String eventType, Object payload) {
        notify(context, Priority.WARN, eventType, payload);
    }

    /**
     * Sends at {@link Priority#ERROR}.
     *
     * @param context the request context
     * @param eventType the event type
     * @param payload the payload
     */
    default void error(Context context, String eventType, Object payload) {
        notify(context, Priority.ERROR, eventType, payload);
    }

    /**
     * Sends at {@link Priority#CRITICAL}.
     *
     * @param context the request context
     * @param eventType the event type
     * @param payload the payload
     */
    default void critical(Context context, String eventType, Object payload) {
        notify(context, Priority.CRITICAL, eventType, payload);
    }

    /**
     * Sends at {@link Priority#SAMPLE}.
     *
     * @param context the request context
     * @param eventType the event type
     * @param payload the payload
     */
    default void sample(Context context, String eventType, Object payload) {
        notify(context, Priority.SAMPLE, eventType, payload);
    }
}
