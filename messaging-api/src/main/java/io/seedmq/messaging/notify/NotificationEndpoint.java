package io.seedmq.messaging.notify;

import com.fasterxml.jackson.databind.JsonNode;
import io.seedmq.messaging.notify.internal.EndpointPriorities;
import io.seedmq.messaging.oslo.Context;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Receives notifications from a {@link NotificationListener}, as an oslo endpoint does: override
 * the methods of the priorities you want ({@code info}, {@code error}...), each receiving the
 * context, publisher id, event type, payload tree and metadata ({@code message_id},
 * {@code timestamp}); the listener consumes only the priorities some endpoint overrides.
 *
 * <pre>{@code
 * class InstanceEvents implements NotificationEndpoint {
 *     public NotificationFilter filter() {
 *         return NotificationFilter.builder().publisherId("^compute\\.").build();
 *     }
 *     public NotificationResult info(Context ctx, String publisherId, String eventType, JsonNode payload,
 *                                    Map<String, Object> metadata) {
 *         index(payload);
 *         return NotificationResult.HANDLED;
 *     }
 * }
 * }</pre>
 *
 * Or with one handler for a set of priorities: {@code NotificationEndpoint.of(filter, n -> ...)}.
 *
 * <p>Methods are called on the listener's executor threads: with more than one thread an
 * endpoint must be thread-safe. Returning {@code null} means {@code HANDLED}; an exception means
 * {@code REQUEUE}, a bounded number of times (see {@link ListenerOptions#maxRedeliveries()}).
 */
public interface NotificationEndpoint {

    /** @return which notifications this endpoint sees; others are acknowledged and dropped if no endpoint wants them */
    default NotificationFilter filter() {
        return NotificationFilter.acceptAll();
    }

    /**
     * @return the priorities this endpoint handles; by default those whose method it overrides,
     *     or all seven when it overrides {@link #handle(Notification)} or {@link #handleBatch(List)}
     */
    default Set<Priority> priorities() {
        return EndpointPriorities.overridden(this);
    }

    /**
     * Handles one notification; by default calls the method of its priority.
     *
     * @param n the notification, which passed {@link #filter()}
     * @return the result
     * @throws Exception any failure
     */
    default NotificationResult handle(Notification n) throws Exception {
        Context c = n.context();
        return switch (n.priority()) {
            case AUDIT -> audit(c, n.publisherId(), n.eventType(), n.payload(), n.metadata());
            case DEBUG -> debug(c, n.publisherId(), n.eventType(), n.payload(), n.metadata());
            case INFO -> info(c, n.publisherId(), n.eventType(), n.payload(), n.metadata());
            case WARN -> warn(c, n.publisherId(), n.eventType(), n.payload(), n.metadata());
            case ERROR -> error(c, n.publisherId(), n.eventType(), n.payload(), n.metadata());
            case CRITICAL -> critical(c, n.publisherId(), n.eventType(), n.payload(), n.metadata());
            case SAMPLE -> sample(c, n.publisherId(), n.eventType(), n.payload(), n.metadata());
        };
    }

    /**
     * Handles a batch of one priority in batch mode ({@link ListenerOptions#batchSize()} above 1);
     * by default calls {@link #handle(Notification)} for each, stopping at the first {@code REQUEUE}.
     *
     * @param notifications notifications of one priority that passed {@link #filter()}
     * @return the result for all of them
     * @throws Exception any failure
     */
    default NotificationResult handleBatch(List<Notification> notifications) throws Exception {
        for (Notification n : notifications) {
            if (handle(n) == NotificationResult.REQUEUE) {
                return NotificationResult.REQUEUE;
            }
        }
        return NotificationResult.HANDLED;
    }

    /**
     * @param context the sender's context
     * @param publisherId the publisher
     * @param eventType the event type
     * @param payload the payload tree
     * @param metadata {@code message_id} and {@code timestamp}
     * @return the result
     * @throws Exception any failure
     */
    default NotificationResult audit(Context context, String publisherId, String eventType, JsonNode payload,
                                     Map<String, Object> metadata) throws Exception {
        return NotificationResult.HANDLED;
    }

    /**
     * @param context the sender's context
     * @param publisherId the publisher
     * @param eventType the event type
     * @param payload the payload tree
     * @param metadata {@code message_id} and {@code timestamp}
     * @return the result
     * @throws Exception any failure
     */
    default NotificationResult debug(Context context, String publisherId, String eventType, JsonNode payload,
                                     Map<String, Object> metadata) throws Exception {
        return NotificationResult.HANDLED;
    }

    /**
     * @param context the sender's context
     * @param publisherId the publisher
     * @param eventType the event type
     * @param payload the payload tree
     * @param metadata {@code message_id} and {@code timestamp}
     * @return the result
     * @throws Exception any failure
     */
    default NotificationResult info(Context context, String publisherId, String eventType, JsonNode payload,
                                    Map<String, Object> metadata) throws Exception {
        return NotificationResult.HANDLED;
    }

    /**
     * @param context the sender's context
     * @param publisherId the publisher
     * @param eventType the event type
     * @param payload the payload tree
     * @param metadata {@code message_id} and {@code timestamp}
     * @return the result
     * @throws Exception any failure
     */
    default NotificationResult warn(Context context, String publisherId, String eventType, JsonNode payload,
                                    Map<String, Object> metadata) throws Exception {
        return NotificationResult.HANDLED;
    }

    /**
     * @param context the sender's context
     * @param publisherId the publisher
     * @param eventType the event type
     * @param payload the payload tree
     * @param metadata {@code message_id} and {@code timestamp}
     * @return the result
     * @throws Exception any failure
     */
    default NotificationResult error(Context context, String publisherId, String eventType, JsonNode payload,
                                     Map<String, Object> metadata) throws Exception {
        return NotificationResult.HANDLED;
    }

    /**
     * @param context the sender's context
     * @param publisherId the publisher
     * @param eventType the event type
     * @param payload the payload tree
     * @param metadata {@code message_id} and {@code timestamp}
     * @return the result
     * @throws Exception any failure
     */
    default NotificationResult critical(Context context, String publisherId, String eventType, JsonNode payload,
                                        Map<String, Object> metadata) throws Exception {
        return NotificationResult.HANDLED;
    }

    /**
     * @param context the sender's context
     * @param publisherId the publisher
     * @param eventType the event type
     * @param payload the payload tree
     * @param metadata {@code message_id} and {@code timestamp}
     * @return the result
     * @throws Exception any failure
     */
    default NotificationResult sample(Context context, String publisherId, String eventType, JsonNode payload,
                                      Map<String, Object> metadata) throws Exception {
        return NotificationResult.HANDLED;
    }

    /**
     * @param handler receives every notification of every priority
     * @return an endpoint without a filter
     */
    static NotificationEndpoint of(NotificationHandler handler) {
        return of(NotificationFilter.acceptAll(), EnumSet.allOf(Priority.class), handler);
    }

    /**
     * @param filter what the handler sees
     * @param handler receives the notifications of every priority that pass the filter
     * @return an endpoint
     */
    static NotificationEndpoint of(NotificationFilter filter, NotificationHandler handler) {
        return of(filter, EnumSet.allOf(Priority.class), handler);
    }

    /**
     * @param filter what the handler sees
     * @param priorities the priorities it handles (the listener consumes only those)
     * @param handler receives the notifications
     * @return an endpoint
     */
    static NotificationEndpoint of(NotificationFilter filter, Set<Priority> priorities, NotificationHandler handler) {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(handler, "handler");
        Set<Priority> handled = Set.copyOf(priorities);
        return new NotificationEndpoint() {
            @Override
            public NotificationFilter filter() {
                return filter;
            }

            @Override
            public Set<Priority> priorities() {
                return handled;
            }

            @Override
            public NotificationResult handle(Notification n) throws Exception {
                return handler.handle(n);
            }

            @Override
            public String toString() {
                return "NotificationEndpoint[" + filter + ", " + handled + "]";
            }
        };
    }

    /**
     * @param filter what the handler sees
     * @param handler receives batches of one priority (every priority) in batch mode, or
     *     single-element lists otherwise
     * @return an endpoint
     */
    static NotificationEndpoint batch(NotificationFilter filter, NotificationBatchHandler handler) {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(handler, "handler");
        return new NotificationEndpoint() {
            @Override
            public NotificationFilter filter() {
                return filter;
            }

            @Override
            public Set<Priority> priorities() {
                return EnumSet.allOf(Priority.class);
            }

            @Override
            public NotificationResult handle(Notification n) throws Exception {
                return handler.handle(List.of(n));
            }

            @Override
            public NotificationResult handleBatch(List<Notification> notifications) throws Exception {
                return handler.handle(List.copyOf(notifications));
            }

            @Override
            public String toString() {
                return "BatchNotificationEndpoint[" + filter + "]";
            }
        };
    }
}
