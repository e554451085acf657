package io.seedmq.messaging.notify;

import java.util.Locale;
import java.util.Optional;

/**
 * The priority of a notification, oslo.messaging's seven levels. A notification carries its
 * priority in upper case in the body ({@code "priority": "WARN"}) and in lower case in the routing
 * key ({@code notifications.warn}); Python's {@code warning} is sent as {@code warn}.
 */
public enum Priority {
    /** Audit records. */
    AUDIT,
    /** Debugging detail. */
    DEBUG,
    /** Something happened, as expected. */
    INFO,
    /** Something looks wrong; sent as {@code warn} (oslo's {@code warning} too). */
    WARN,
    /** Something failed. */
    ERROR,
    /** Something failed badly. */
    CRITICAL,
    /** Periodic measurements with small payloads ("CPU = 70%"). */
    SAMPLE;

    /** @return the name in the body, upper case ({@code WARN}) */
    public String wireName() {
        return name();
    }

    /** @return the routing key suffix and queue suffix, lower case ({@code warn}) */
    public String routingName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads a priority as oslo does: case-insensitive, {@code warning} meaning {@code warn}.
     *
     * @param name a priority name from a message or a configuration
     * @return the priority, or empty when the name is none of the seven (or {@code null})
     */
    public static Optional<Priority> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String upper = name.toUpperCase(Locale.ROOT);
        if (upper.equals("WARNING")) {
            return Optional.of(WARN);
        }
        for (Priority p : values()) {
            if (p.name().equals(upper)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
