package io.seedmq.messaging.amqp;

import io.seedmq.messaging.ConnectionOptions;
import io.seedmq.messaging.amqp.test.BrokerEndpoint;
import io.seedmq.messaging.amqp.test.RabbitBroker;
import io.seedmq.messaging.conformance.LifecycleKit;
import org.junit.jupiter.api.DisplayName;

/** The life-cycle kit (one life cycle, the dispatch engine, executors and thread factories) on RabbitMQ. */
@RabbitBroker
@DisplayName("Life-cycle kit on RabbitMQ (amqp://)")
class AmqpLifecycleTest extends LifecycleKit {

    private final BrokerEndpoint broker;

    AmqpLifecycleTest(BrokerEndpoint broker) {
        this.broker = broker;
    }

    @Override
    protected ConnectionOptions connectionOptions() {
        return broker.builder().connectionName("seedmq-lifecycle").build();
    }
}
