package io.seedmq.messaging.amqp;

import com.rabbitmq.client.Channel;
import io.seedmq.messaging.MessageProperties;
import io.seedmq.messaging.spi.Delivery;
import io.seedmq.messaging.spi.DeliveryInfo;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A message received on one channel, settled on that channel only. After a connection recovery
 * amqp-client's recovering channel already discards acknowledgements of tags from before the
 * recovery, so this class does no generation bookkeeping of its own; when the channel is closed
 * (not yet recovered, or closed for good) the settle is dropped with a debug log: the broker has
 * requeued the message and redelivers it.
 */
final class AmqpDelivery implements Delivery {

    private static final Logger LOG = LoggerFactory.getLogger(AmqpDelivery.class);

    private final Channel channel;
    private final byte[] body;
    private final MessageProperties properties;
    private final DeliveryInfo info;
    private final Runnable onSettled;

    AmqpDelivery(Channel channel, byte[] body, MessageProperties properties, DeliveryInfo info,
                 Runnable onSettled) {
        this.channel = channel;
        this.body = body;
        this.properties = properties;
        this.info = info;
        this.onSettled = onSettled;
    }

    @Override
    public byte[] body() {
        return body;
    }

    @Override
    public MessageProperties properties() {
        return properties;
    }

    @Override
    public DeliveryInfo info() {
        return info;
    }

    @Override
    public void ack() {
        try {
            channel.basicAck(info.deliveryTag(), false);
        } catch (IOException | RuntimeException e) {
            LOG.debug("ack of delivery {} from queue '{}' dropped, its channel is closed; the broker redelivers it",
                    info.deliveryTag(), info.queue());
        } finally {
            onSettled.run();
        }
    }

    @Override
    public void reject(boolean requeue) {
        try {
            channel.basicReject(info.deliveryTag(), requeue);
        } catch (IOException | RuntimeException e) {
            LOG.debug("reject of delivery {} from queue '{}' dropped, its channel is closed; the broker redelivers it",
                    info.deliveryTag(), info.queue());
        } finally {
            onSettled.run();
        }
    }

    /** {@code basic.nack} (single, requeue): unlike {@code basic.reject}, not a failed delivery on RabbitMQ 4.3. */
    @Override
    public void release() {
        try {
            channel.basicNack(info.deliveryTag(), false, true);
        } catch (IOException | RuntimeException e) {
            LOG.debug("release of delivery {} from queue '{}' dropped, its channel is closed; the broker redelivers it",
                    info.deliveryTag(), info.queue());
        } finally {
            onSettled.run();
        }
    }

    @Override
    public String toString() {
        return "AmqpDelivery[" + info + ", " + body.length + " bytes]";
    }
}
