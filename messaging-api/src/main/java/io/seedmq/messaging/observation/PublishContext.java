package io.seedmq.messaging.observation;

import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.SenderContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The context of a {@link MessagingObservation#PUBLISH} observation. Its carrier is the set of
 * headers a tracing handler writes the trace context into; seedmq adds them to the message.
 */
public final class PublishContext extends SenderContext<Map<String, String>> {

    private final String exchange;
    private final String routingKey;

    /**
     * @param exchange the exchange, {@code ""} for the default one
     * @param routingKey the routing key
     */
    public PublishContext(String exchange, String routingKey) {
        super((carrier, key, value) -> carrier.put(key, value), Kind.PRODUCER);
        this.exchange = exchange;
        this.routingKey = routingKey;
        setCarrier(new LinkedHashMap<>());
    }

    /** @return the exchange, {@code ""} for the default one */
    public String exchange() {
        return exchange;
    }

    /** @return the routing key */
    public String routingKey() {
        return routingKey;
    }
}
