/**
 * The AMQP 0-9-1 transport for RabbitMQ ({@code amqp://}, {@code amqps://}, {@code rabbit://}), on
 * amqp-client. It exports nothing: applications reach it by URL scheme through
 * {@link java.util.ServiceLoader}, never by naming its classes.
 */
@SuppressWarnings("requires-automatic") // amqp-client ships an automatic module only
module io.seedmq.messaging.amqp {
    requires io.seedmq.messaging;
    requires com.rabbitmq.client;
    requires org.slf4j;

    provides io.seedmq.messaging.spi.TransportProvider with io.seedmq.messaging.amqp.AmqpTransportProvider;
}
