package io.seedmq.messaging.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import io.seedmq.messaging.MessagingException;
import io.seedmq.messaging.spi.DeliveryInfo;
import io.seedmq.messaging.spi.DeliveryListener;
import io.seedmq.messaging.spi.Subscription;
import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A subscription: one consumer on its own channel, with a per-consumer prefetch. amqp-client
 * dispatches a channel's deliveries one at a time, in order, on the connection's consumer work
 * pool, so a slow listener holds back only its own subscription.
 *
 * <p>Cancelling stops deliveries at once, but the channel stays open until every delivery already
 * handed out has been settled: closing it earlier would requeue them, and the SPI promises they stay
 * unacknowledged until settled. With automatic recovery the consumer is re-registered on the
 * recovered channel by amqp-client, except a stream reader ({@link #readsStream()}); for a server-named queue the broker then picks a new name, and
 * {@link #queue()} keeps reporting the name subscribed to.
 */
final class AmqpSubscription implements Subscription {

    private static final Logger LOG = LoggerFactory.getLogger(AmqpSubscription.class);

    private final Channel channel;
    private final String queue;
    private final boolean autoAck;
    private final boolean readsStream;
    private final DeliveryListener listener;
    private final Executor closer;
    private final Consumer<AmqpSubscription> onClosed;
    private final AtomicBoolean active = new AtomicBoolean(true);
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicInteger unsettled = new AtomicInteger();
    private volatile String consumerTag;

    AmqpSubscription(Channel channel, String queue, boolean autoAck, boolean readsStream, DeliveryListener listener,
                     Executor closer, Consumer<AmqpSubscription> onClosed) {
        this.channel = channel;
        this.queue = queue;
        this.autoAck = autoAck;
        this.readsStream = readsStream;
        this.listener = listener;
        this.closer = closer;
        this.onClosed = onClosed;
    }

    /** @return the amqp-client consumer that feeds the listener */
    com.rabbitmq.client.Consumer consumer() {
        return new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
                deliver(tag, envelope, properties, body);
            }

            @Override
            public void handleCancel(String tag) {
                lost(new MessagingException("the broker cancelled consumer " + tag + " of queue '" + queue
                        + "' (the queue was deleted, or its node went down)"), false);
            }

            @Override
            public void handleShutdownSignal(String tag, ShutdownSignalException signal) {
                // A lost connection is recovered by amqp-client, consumer included; our own close is
                // expected. Only a channel the broker closed on its own ends the subscription.
                if (!signal.isHardError() && !signal.isInitiatedByApplication()) {
                    lost(AmqpErrors.translate("the broker closed the channel of consumer " + tag + " of queue '"
                            + queue + "'", signal), true);
                }
            }
        };
    }

    void started(String tag) {
        consumerTag = tag;
    }

    private void deliver(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
        if (!autoAck) {
            unsettled.incrementAndGet();
        }
        DeliveryInfo info = new DeliveryInfo(envelope.getExchange(), envelope.getRoutingKey(),
                envelope.isRedeliver(), tag, envelope.getDeliveryTag(), queue);
        AmqpDelivery delivery = new AmqpDelivery(channel, body, AmqpProperties.fromAmqp(properties), info,
                autoAck ? () -> { } : this::settled);
        try {
            listener.onDelivery(delivery);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            // Left to amqp-client, an exception would close the channel and requeue everything.
            LOG.warn("listener of queue '{}' threw on delivery {}", queue, envelope.getDeliveryTag(), e);
        }
    }

    private void settled() {
        unsettled.decrementAndGet();
        closeWhenSettled();
    }

    /**
     * @return whether it reads a stream from an offset (an {@code x-stream-offset} argument): then
     *     amqp-client does not recover it, and it ends when its connection is recovered
     */
    boolean readsStream() {
        return readsStream;
    }

    /** @return the channel the subscription consumes on */
    Channel channel() {
        return channel;
    }

    /**
     * The subscription ended and will not come back by itself: the broker cancelled it or closed
     * its channel, or amqp-client could not recover it. Its listener is told once; the channel is
     * closed (which also drops amqp-client's record of the consumer, so a later recovery cannot
     * bring it back beside the one its owner makes): at once when the channel is dead, else once
     * what was delivered is settled.
     *
     * @param cause why
     * @param channelDead whether the channel is closed, so what was delivered can no longer be settled
     */
    void lost(MessagingException cause, boolean channelDead) {
        if (active.compareAndSet(true, false)) {
            LOG.debug("subscription to queue '{}' lost: {}", queue, cause.getMessage());
            if (channelDead) {
                unsettled.set(0);
            }
            try {
                listener.onSubscriptionLost(cause);
            } catch (RuntimeException e) {
                LOG.warn("listener of queue '{}' threw on cancellation", queue, e);
            }
            closeWhenSettled();
        }
    }

    @Override
    public String consumerTag() {
        return consumerTag;
    }

    @Override
    public String queue() {
        return queue;
    }

    @Override
    public void cancel() {
        if (!active.compareAndSet(true, false)) {
            return;
        }
        try {
            if (channel.isOpen()) {
                channel.basicCancel(consumerTag);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("cancel of consumer {} on queue '{}' failed; closing its channel", consumerTag, queue, e);
            unsettled.set(0);
        }
        closeWhenSettled();
    }

    /** Closes the channel once cancelled and nothing is left to settle; settles run on listener threads. */
    private void closeWhenSettled() {
        if (!active.get() && unsettled.get() <= 0 && closing.compareAndSet(false, true)) {
            try {
                // Off the caller's thread: settling must not wait for a broker round trip.
                closer.execute(this::closeChannel);
            } catch (RejectedExecutionException e) {
                // The connection is closing and takes the channel with it.
                onClosed.accept(this);
            }
        }
    }

    /** The connection is closing: the subscription ends with it, the channel closes with it. */
    void connectionClosed() {
        closing.set(true);
        active.set(false);
    }

    /** Closes the channel now, whatever is unsettled: the connection is closing. */
    void closeChannel() {
        closing.set(true);
        active.set(false);
        try {
            if (channel.isOpen()) {
                channel.close();
            } else {
                // Closed by the broker: aborting still makes amqp-client forget the channel and its consumer.
                channel.abort();
            }
        } catch (IOException | RuntimeException | java.util.concurrent.TimeoutException e) {
            LOG.debug("closing the channel of consumer {} failed", consumerTag, e);
        } finally {
            onClosed.accept(this);
        }
    }

    @Override
    public boolean isActive() {
        return active.get();
    }

    @Override
    public String toString() {
        return "AmqpSubscription[queue=" + queue + ", consumerTag=" + consumerTag + ", active=" + active + "]";
    }
}
