package io.seedmq.messaging.amqp;

import io.seedmq.messaging.ConnectionOptions;
import io.seedmq.messaging.conformance.TransportConformanceKit;
import io.seedmq.messaging.test.BrokerKind;
import io.seedmq.messaging.test.SeedmqTest;
import io.seedmq.messaging.test.TestBroker;
import org.junit.jupiter.api.DisplayName;

/**
 * The conformance kit on RabbitMQ, the referee of every case. The broker comes from
 * {@link SeedmqTest} ({@code SEEDMQ_AMQP_URL}, Testcontainers, or a local broker). The
 * persistence case stays skipped: it needs a broker restart, which would disturb whoever else
 * uses a shared local broker; durability is RabbitMQ's own, not the transport's.
 */
@SeedmqTest(broker = BrokerKind.RABBITMQ)
@DisplayName("Conformance kit on RabbitMQ (amqp://)")
class AmqpConformanceTest extends TransportConformanceKit {

    private final TestBroker broker;

    AmqpConformanceTest(TestBroker broker) {
        this.broker = broker;
    }

    @Override
    protected ConnectionOptions connectionOptions() {
        return broker.options().toBuilder().connectionName("seedmq-kit").build();
    }
}
