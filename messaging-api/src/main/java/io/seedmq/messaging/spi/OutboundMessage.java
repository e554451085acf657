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
 */
public record OutboundMessage(String exchange, String routingKey, MessageProperties properties, byte[] body,
                              boolean mandatory) {

    /** Checks for nulls. */
    public OutboundMessage {
        Objects.requireNonNull(exchange, "exchange");
        Objects.requireNonNull(routingKey, "routingKey");
        Objects.requireNonNull(properties, "properties");
        Objects.requireNonNull(body, "body");
    }
}
