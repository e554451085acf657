package io.seedmq.messaging.spi;

/**
 * How a message reached its consumer.
 *
 * @param exchange the exchange it was published to ("" for the default exchange)
 * @param routingKey the routing key it was published with
 * @param redelivered whether it was delivered before and not acknowledged (requeued, or its
 *     consumer or connection went away)
 * @param consumerTag the consumer it was delivered to, or {@code null} for a basic get
 * @param deliveryTag the delivery's number on its channel; meaningful only to the transport
 * @param queue the queue it was consumed from
 */
public record DeliveryInfo(String exchange, String routingKey, boolean redelivered, String consumerTag,
                           long deliveryTag, String queue) {
}
