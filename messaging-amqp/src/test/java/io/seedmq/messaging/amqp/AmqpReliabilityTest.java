package io.seedmq.messaging.amqp;

import io.seedmq.messaging.ConnectionOptions;
import io.seedmq.messaging.amqp.test.BrokerEndpoint;
import io.seedmq.messaging.amqp.test.RabbitBroker;
import io.seedmq.messaging.conformance.ReliabilityKit;
import org.junit.jupiter.api.DisplayName;

/** The reliability kit (redelivery, poison messages, graceful shutdown) on RabbitMQ. */
@RabbitBroker
@DisplayName("Reliability kit on RabbitMQ (amqp://)")
class AmqpReliabilityTest extends ReliabilityKit {

    private final BrokerEndpoint broker;

    AmqpReliabilityTest(BrokerEndpoint broker) {
        this.broker = broker;
    }

    @Override
    protected ConnectionOptions connectionOptions() {
        return broker.builder().connectionName("seedmq-reliability").build();
    }
}
