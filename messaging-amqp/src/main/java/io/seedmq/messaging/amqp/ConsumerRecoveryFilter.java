package io.seedmq.messaging.amqp;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.impl.recovery.RecordedConsumer;
import com.rabbitmq.client.impl.recovery.TopologyRecoveryFilter;
import java.util.function.Predicate;

/**
 * amqp-client's topology recovery filter: which consumers its automatic recovery re-registers.
 * amqp-client re-issues {@code basic.consume} with the arguments of the first one, so a stream
 * reader would read again from its first {@code x-stream-offset} (replaying the stream from
 * {@code first}, or skipping what was published while it was away with {@code next}); the
 * transport connection names the channels of such subscriptions and reports them lost once the
 * connection is back, and their owner subscribes again from where it got to. Exchanges, queues and
 * bindings are all recovered.
 */
final class ConsumerRecoveryFilter implements TopologyRecoveryFilter {

    private volatile Predicate<Channel> refused = channel -> false;

    /** @param refused whether the consumer on a channel (the one the application opened) must not be recovered */
    void refuse(Predicate<Channel> refused) {
        this.refused = refused;
    }

    @Override
    public boolean filterConsumer(RecordedConsumer consumer) {
        return !refused.test(consumer.getChannel());
    }
}
