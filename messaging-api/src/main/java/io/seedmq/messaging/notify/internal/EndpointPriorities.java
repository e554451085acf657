package io.seedmq.messaging.notify.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.seedmq.messaging.notify.Notification;
import io.seedmq.messaging.notify.NotificationEndpoint;
import io.seedmq.messaging.notify.Priority;
import io.seedmq.messaging.oslo.Context;
import java.lang.reflect.Method;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds which priorities an endpoint handles, as oslo's dispatcher does with {@code hasattr}:
 * the per-priority methods its class overrides.
 */
public final class EndpointPriorities {

    private EndpointPriorities() {
    }

    /**
     * @param endpoint an endpoint
     * @return the priorities whose method it overrides; all of them when it overrides
     *     {@code handle} or {@code handleBatch}
     */
    public static Set<Priority> overridden(NotificationEndpoint endpoint) {
        Class<?> type = endpoint.getClass();
        if (overrides(type, "handle", Notification.class) || overrides(type, "handleBatch", List.class)) {
            return EnumSet.allOf(Priority.class);
        }
        Set<Priority> found = EnumSet.noneOf(Priority.class);
        for (Priority p : Priority.values()) {
            if (overrides(type, p.routingName(), Context.class, String.class, String.class, JsonNode.class, Map.class)) {
                found.add(p);
            }
        }
        return found;
    }

    private static boolean overrides(Class<?> type, String name, Class<?>... parameters) {
        try {
            Method m = type.getMethod(name, parameters);
            return m.getDeclaringClass() != NotificationEndpoint.class;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }
}
