package io.seedmq.messaging.amqp;

import io.seedmq.messaging.ConnectionOptions;
import io.seedmq.messaging.conformance.ReliabilityKit;
import io.seedmq.messaging.test.BrokerKind;
import io.seedmq.messaging.test.SeedmqTest;
import io.seedmq.messaging.test.TestBroker;
import org.junit.jupiter.api.DisplayName;

/** The reliability kit (redelivery, poison messages, graceful shutdown) on RabbitMQ. */
@SeedmqTest(broker = BrokerKind.RABBITMQ)
@DisplayName("Reliability kit on RabbitMQ (amqp://)")
class AmqpReliabilityTest extends ReliabilityKit {

    private final TestBroker broker;

    AmqpReliabilityTest(TestBroker broker) {
        this.broker = broker;
    }

    @Override
    protected ConnectionOptions connectionOptions() {
        return broker.options().toBuilder().connectionName("seedmq-reliability").build();
    }
}
