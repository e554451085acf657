package io.seedmq.messaging.amqp;

import io.seedmq.messaging.ConnectionOptions;
import io.seedmq.messaging.conformance.LifecycleKit;
import io.seedmq.messaging.test.BrokerKind;
import io.seedmq.messaging.test.SeedmqTest;
import io.seedmq.messaging.test.TestBroker;
import org.junit.jupiter.api.DisplayName;

/** The life-cycle kit (one life cycle, the dispatch engine, executors and thread factories) on RabbitMQ. */
@SeedmqTest(broker = BrokerKind.RABBITMQ)
@DisplayName("Life-cycle kit on RabbitMQ (amqp://)")
class AmqpLifecycleTest extends LifecycleKit {

    private final TestBroker broker;

    AmqpLifecycleTest(TestBroker broker) {
        this.broker = broker;
    }

    @Override
    protected ConnectionOptions connectionOptions() {
        return broker.options().toBuilder().connectionName("seedmq-lifecycle").build();
    }
}
