package io.seedmq.benchmarks;

import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory.ConfirmType;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;

/**
 * What the Spring AMQP sides share, configured as a Spring application would be without a context:
 * a {@link CachingConnectionFactory} for the benchmark URL (amqp-client's own factory underneath, as
 * the raw references use it) and a started {@link DirectMessageListenerContainer}.
 */
final class SpringAmqp {

    private SpringAmqp() {
    }

    /**
     * @param url a seedmq AMQP URL, read as the raw references read it
     * @param role names the connections, for the broker's management view
     * @param confirms {@link ConfirmType#CORRELATED} where a side measures confirms, else {@link ConfirmType#NONE}
     * @return a caching connection factory, with the same confirm type for its publisher connection
     */
    static CachingConnectionFactory connectionFactory(String url, String role, ConfirmType confirms) throws Exception {
        CachingConnectionFactory factory = new CachingConnectionFactory(Raw.factory(url));
        factory.setConnectionNameStrategy(f -> "seedmq-benchmarks-spring (" + role + ")");
        factory.setPublisherConfirmType(confirms);
        return factory;
    }

    /**
     * @param factory the consuming connection's factory
     * @param queue the queue to consume
     * @param ack {@link AcknowledgeMode#NONE} for automatic acknowledgement by the broker,
     *     {@link AcknowledgeMode#AUTO} for the container's basic.ack of each message after the listener returns
     * @param prefetch basic.qos, or 0 for the container's default
     * @param listener runs on amqp-client's consumer thread, as the raw references' consumers do
     * @return the container, consuming; stop it to cancel
     */
    static DirectMessageListenerContainer container(ConnectionFactory factory, String queue, AcknowledgeMode ack,
                                                    int prefetch, MessageListener listener) {
        DirectMessageListenerContainer container = new DirectMessageListenerContainer(factory);
        container.setQueueNames(queue);
        container.setAcknowledgeMode(ack);
        if (prefetch > 0) {
            container.setPrefetchCount(prefetch);
        }
        container.setMessageListener(listener);
        container.afterPropertiesSet();
        container.start();
        return container;
    }
}
