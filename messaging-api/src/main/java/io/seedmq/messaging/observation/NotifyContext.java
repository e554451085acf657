package io.seedmq.messaging.observation;

import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.SenderContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The context of a {@link MessagingObservation#NOTIFY} observation. Its carrier is the set of
 * entries a tracing handler writes the trace context into; seedmq sends them in the
 * notification's oslo context.
 */
public final class NotifyContext extends SenderContext<Map<String, String>> {

    private final String publisherId;
    private final String eventType;
    private final String priority;

    /**
     * @param publisherId the notifier's publisher id
     * @param eventType the event type
     * @param priority the priority, lower case
     */
    public NotifyContext(String publisherId, String eventType, String priority) {
        super((carrier, key, value) -> carrier.put(key, value), Kind.PRODUCER);
        this.publisherId = publisherId;
        this.eventType = eventType;
        this.priority = priority;
        setCarrier(new LinkedHashMap<>());
    }

    /** @return the publisher id */
    public String publisherId() {
        return publisherId;
    }

    /** @return the event type */
    public String eventType() {
        return eventType;
    }

    /** @return the priority, lower case */
    public String priority() {
        return priority;
    }
}
