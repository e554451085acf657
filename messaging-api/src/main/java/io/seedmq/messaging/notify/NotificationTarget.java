package io.seedmq.messaging.notify;

import io.seedmq.messaging.oslo.internal.OsloCodec;
import java.util.Objects;

/**
 * Where notifications go and come from: a topic on an exchange, as oslo's {@code Target(topic=...,
 * exchange=...)}. A notification of priority {@code p} on topic {@code t} is published to the
 * exchange with routing key {@code t.p}. Immutable.
 *
 * @param topic the topic, for example {@code notifications}
 * @param exchange the topic exchange, by default oslo's control exchange {@code openstack}
 */
public record NotificationTarget(String topic, String exchange) {

    /** The topic oslo notifies on unless configured otherwise. */
    public static final String DEFAULT_TOPIC = "notifications";
    /** The exchange oslo notifies on unless configured otherwise (its control exchange). */
    public static final String DEFAULT_EXCHANGE = OsloCodec.CONTROL_EXCHANGE;

    /** Validates. */
    public NotificationTarget {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(exchange, "exchange");
        if (topic.isEmpty()) {
            throw new IllegalArgumentException("a notification topic must not be empty");
        }
        if (exchange.isEmpty()) {
            throw new IllegalArgumentException("notifications need a named exchange, not the default exchange");
        }
    }

    /**
     * @param topic the topic
     * @return the topic on the control exchange {@code openstack}
     */
    public static NotificationTarget topic(String topic) {
        return new NotificationTarget(topic, DEFAULT_EXCHANGE);
    }

    /**
     * @param exchange another exchange
     * @return a copy on that exchange
     */
    public NotificationTarget exchange(String exchange) {
        return new NotificationTarget(topic, exchange);
    }

    /**
     * @param priority a priority
     * @return the routing key (and default queue name) of that priority: {@code <topic>.<priority>}
     */
    public String routingKey(Priority priority) {
        return topic + "." + priority.routingName();
    }
}
