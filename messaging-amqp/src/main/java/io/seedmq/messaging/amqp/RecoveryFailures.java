package io.seedmq.messaging.amqp;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.TopologyRecoveryException;
import com.rabbitmq.client.impl.DefaultExceptionHandler;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * amqp-client's exception handler, told what its automatic recovery could not restore. A consumer
 * whose recovery failed (on a cluster: a classic queue whose home node is down answers 404) is
 * otherwise only logged by amqp-client, and its subscription stays silently dead; here the channel
 * it was on is handed to the transport connection, which ends that subscription so its owner
 * subscribes again.
 */
final class RecoveryFailures extends DefaultExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(RecoveryFailures.class);

    private volatile BiConsumer<Channel, Throwable> onChannelLost = (channel, e) -> { };

    /**
     * @param action told the channel (the one the application opened) that was not recovered, or of
     *     an entity that was not recovered
     */
    void onChannelLost(BiConsumer<Channel, Throwable> action) {
        this.onChannelLost = action;
    }

    @Override
    public void handleChannelRecoveryException(Channel channel, Throwable e) {
        LOG.warn("channel recovery: channel {} was not recovered: {}", channel.getChannelNumber(),
                AmqpErrors.translate("recover a channel", e).getMessage());
        onChannelLost.accept(channel, e);
    }

    @Override
    public void handleTopologyRecoveryException(Connection connection, Channel channel, TopologyRecoveryException e) {
        // One line, no stack trace: what it means for a subscription is logged by its consumer.
        String what = String.valueOf(e.getMessage()).replaceFirst(": null$", "");
        LOG.warn("topology recovery: {}", AmqpErrors.translate(what, e).getMessage());
        if (e.getRecordedEntity() != null) {
            onChannelLost.accept(e.getRecordedEntity().getChannel(), e);
        }
    }
}
