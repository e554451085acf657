package io.seedmq.messaging.spi;

import io.seedmq.messaging.MessageProperties;
import java.util.Objects;

/**
 * A message ready to publish: encoded body, properties and where it goes.
 *
 * @param exchange exchange name, "" for the default exchange
 * @param routingKey routing key
 * @param properties message properties
 * @param body the encoded body; the transport must not modify it
 * @param mandatory whether an unroutable message is returned (failing the publish with
 *     {@link io.seedmq.messaging.UndeliverableException}) instead of dropped
 * @param confirm whether the publish completes only once the broker confirmed it (the default); when
 *     {@code false} it completes as soon as the message is handed to the broker's connection (see
 *     {@link io.seedmq.messaging.Publish#confirm(boolean)}); a transport without confirms ignores it
 */
public record OutboundMessage(String exchange, String routingKey, MessageProperties properties, byte[] body,
                              boolean mandatory, boolean confirm) {

    /**
     * A confirmed publish.
     *
     * @param exchange exchange name, "" for the default exchange
     * @param routingKey routing key
     * @param properties message properties
     * @param body the encoded body
     * @param mandatory whether an unroutable message is returned instead of dropped
     */
    public OutboundMessage(String exchange, String routingKey, MessageProperties properties, byte[] body,
                           boolean mandatory) {
        this(exchange, routingKey, properties, body, mandatory, true);
    }

    /** Checks for nulls. */
    public OutboundMessage {
        Objects.requireNonNull(exchange, "exchange");
        Objects.requireNonNull(routingKey, "routingKey");
        Objects.requireNonNull(properties, "properties");
        Objects.requireNonNull(body, "body");
    }
}
