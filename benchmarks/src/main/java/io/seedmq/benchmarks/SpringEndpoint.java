package io.seedmq.benchmarks;

import java.util.function.Consumer;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory.ConfirmType;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;

/**
 * The Spring AMQP side of the stream scenarios, as Spring's reference documentation configures it:
 * one {@link CachingConnectionFactory} whose {@link RabbitTemplate} publishes on the factory's
 * separate publisher connection ({@code usePublisherConnection}), so publishing and consuming have a
 * connection each, as on the other sides. With confirms the factory is in
 * {@link ConfirmType#CORRELATED} mode and each send carries a {@link CorrelationData} whose future
 * settles the publish. A {@link DirectMessageListenerContainer} consumes: automatic acknowledgement
 * by the broker, or the container acknowledging each message after the listener returns.
 */
final class SpringEndpoint implements Endpoint {

    /** As many channels as scenario 2 has confirms outstanding. */
    private static final int CHANNEL_CACHE_SIZE = 100;

    private final CachingConnectionFactory connectionFactory;
    private final RabbitAdmin admin;
    private final RabbitTemplate template;
    private final String queue;
    private final MessageDeliveryMode deliveryMode;
    private final boolean confirms;
    private final boolean manualAck;
    private final int prefetch;
    private DirectMessageListenerContainer container;

    /**
     * @param url the broker
     * @param queue a unique queue name
     * @param durable durable queue, persistent messages
     * @param confirms correlated publisher confirms
     * @param manualAck a basic.ack for each delivery (the container's {@link AcknowledgeMode#AUTO}),
     *     else automatic acknowledgement ({@link AcknowledgeMode#NONE})
     * @param prefetch basic.qos for manual acknowledgement
     */
    SpringEndpoint(String url, String queue, boolean durable, boolean confirms, boolean manualAck, int prefetch)
            throws Exception {
        this.connectionFactory = SpringAmqp.connectionFactory(url, "stream",
                confirms ? ConfirmType.CORRELATED : ConfirmType.NONE);
        // A channel with confirms outstanding goes back to the cache only once they arrive, and a send
        // meanwhile takes another. Spring's guide advises a cache large enough that such channels are
        // cached rather than closed; the default (25) opened and closed hundreds a second in scenario 2.
        connectionFactory.setChannelCacheSize(CHANNEL_CACHE_SIZE);
        this.admin = new RabbitAdmin(connectionFactory);
        this.template = new RabbitTemplate(connectionFactory);
        template.setUsePublisherConnection(true);
        this.queue = queue;
        this.deliveryMode = durable ? MessageDeliveryMode.PERSISTENT : MessageDeliveryMode.NON_PERSISTENT;
        this.confirms = confirms;
        this.manualAck = manualAck;
        this.prefetch = prefetch;
        admin.declareQueue(new Queue(queue, durable, false, false));
    }

    @Override
    public void consume(Consumer<byte[]> onMessage) {
        container = SpringAmqp.container(connectionFactory, queue, manualAck ? AcknowledgeMode.AUTO : AcknowledgeMode.NONE,
                manualAck ? prefetch : 0, m -> onMessage.accept(m.getBody()));
    }

    @Override
    public void publish(byte[] body, Runnable confirmed) {
        // A message per send: the template writes the correlation and sequence number into its properties.
        Message message = MessageBuilder.withBody(body).setContentType(MessageProperties.CONTENT_TYPE_BYTES)
                .setContentEncoding(Raw.CONTENT_ENCODING).setDeliveryMode(deliveryMode).build();
        if (confirms) {
            CorrelationData correlation = new CorrelationData();
            correlation.getFuture().whenComplete((confirm, failure) -> confirmed.run());
            template.send("", queue, message, correlation);
        } else {
            template.send("", queue, message);
            confirmed.run();
        }
    }

    @Override
    public void close() {
        try {
            if (container != null) {
                container.stop();
            }
            admin.deleteQueue(queue);
        } finally {
            connectionFactory.destroy();
        }
    }
}
