package io.seedmq.messaging.inmemory;

import io.seedmq.messaging.MessageProperties;
import io.seedmq.messaging.QueueType;
import io.seedmq.messaging.spi.Delivery;
import io.seedmq.messaging.spi.DeliveryInfo;
import io.seedmq.messaging.spi.OutboundMessage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One delivery of a queue entry, to a subscription or to a basic.get. Whoever {@link #claim()}s
 * it first (the application settling it, or a closing connection taking it back) decides its fate,
 * so a message is never both acknowledged and requeued.
 */
final class InMemoryDelivery implements Delivery {
    private static final Logger LOG = LoggerFactory.getLogger(InMemoryDelivery.class);
    private static final AtomicIntegerFieldUpdater<InMemoryDelivery> CLAIMED =
            AtomicIntegerFieldUpdater.newUpdater(InMemoryDelivery.class, "claimed");

    final QueueState queue;
    final QueueEntry entry;
    /** The subscription it was delivered to, or {@code null} for a basic.get. */
    final InMemorySubscription subscription;
    /** Where an unsettled delivery is tracked until settled, or {@code null} with automatic acknowledgement. */
    final Unacked ledger;
    final long tag;
    private final boolean redelivered;
    private final String consumerTag;
    private final MessageProperties properties;
    private volatile int claimed;
    /** Its links in its {@link Unacked} ledger; guarded by that ledger's monitor. */
    InMemoryDelivery prevUnacked;
    InMemoryDelivery nextUnacked;
    boolean inUnacked;

    InMemoryDelivery(QueueState queue, QueueEntry entry, InMemorySubscription subscription, Unacked ledger, long tag,
                     String consumerTag) {
        this.queue = queue;
        this.entry = entry;
        this.subscription = subscription;
        this.ledger = ledger;
        this.tag = tag;
        this.redelivered = entry.redelivered;
        this.consumerTag = consumerTag;
        this.properties = withBrokerHeaders(queue, entry);
    }

    /**
     * The headers RabbitMQ 4.3 adds on delivery: {@code x-delivery-count} and {@code x-acquired-count}
     * (quorum), {@code x-stream-offset} (stream).
     */
    private static MessageProperties withBrokerHeaders(QueueState queue, QueueEntry entry) {
        MessageProperties p = entry.message.properties();
        if (queue.type == QueueType.CLASSIC) {
            return p;
        }
        Map<String, Object> headers = new LinkedHashMap<>(p.headers());
        if (queue.type == QueueType.QUORUM) {
            headers.put("x-delivery-count", (long) entry.deliveryCount);
            headers.put("x-acquired-count", (long) entry.acquiredCount);
        } else {
            headers.put("x-stream-offset", entry.seq);
        }
        return p.toBuilder().headers(headers).build();
    }

    @Override
    public byte[] body() {
        return entry.message.body();
    }

    @Override
    public MessageProperties properties() {
        return properties;
    }

    /** Without making the {@link DeliveryInfo}, which {@link #info()} makes per call. */
    @Override
    public boolean redelivered() {
        return redelivered;
    }

    @Override
    public DeliveryInfo info() {
        OutboundMessage m = entry.message;
        return new DeliveryInfo(m.exchange(), m.routingKey(), redelivered, consumerTag, tag, queue.name());
    }

    @Override
    public void ack() {
        settle(true, null);
    }

    @Override
    public void reject(boolean requeue) {
        settle(false, requeue ? QueueState.Return.REJECTED : null);
    }

    /** Requeues without failure, as {@code basic.nack}: a quorum queue counts it in {@code x-acquired-count} only. */
    @Override
    public void release() {
        settle(false, QueueState.Return.RELEASED);
    }

    /** @return whether the caller now owns this delivery's outcome */
    boolean claim() {
        return CLAIMED.compareAndSet(this, 0, 1);
    }

    private void settle(boolean ack, QueueState.Return back) {
        if (ledger == null || !claim()) {
            LOG.debug("ignoring settlement of delivery {} from queue '{}': already settled or its connection closed",
                    tag, queue.name());
            return;
        }
        if (!ack && queue.isStream() && subscription != null) {
            ledger.remove(this);
            subscription.rejectedOnStream();
            return;
        }
        queue.settle(this, ack, back);
        if (subscription != null) {
            subscription.afterSettle();
        }
    }
}
