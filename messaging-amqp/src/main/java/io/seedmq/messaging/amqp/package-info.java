/**
 * The AMQP 0-9-1 transport for RabbitMQ, on {@code com.rabbitmq:amqp-client}. Only
 * {@link io.seedmq.messaging.amqp.AmqpTransportProvider} is public, for
 * {@link java.util.ServiceLoader}; everything else is an implementation detail reached through the
 * SPI of {@code io.seedmq.messaging.spi}.
 */
package io.seedmq.messaging.amqp;
