package io.seedmq.messaging.amqp;

import io.seedmq.messaging.ConnectionOptions;
import io.seedmq.messaging.amqp.test.BrokerEndpoint;
import io.seedmq.messaging.amqp.test.RabbitBroker;
import io.seedmq.messaging.conformance.TransportConformanceKit;
import org.junit.jupiter.api.DisplayName;

/**
 * The conformance kit on RabbitMQ, the referee of every case. The broker comes from
 * {@link RabbitBroker} ({@code SEEDMQ_AMQP_URL}, Testcontainers, or a local broker). The
 * persistence case stays skipped: it needs a broker restart, which would disturb whoever else
 * uses a shared local broker; durability is RabbitMQ's own, not the transport's.
 */
@RabbitBroker
@DisplayName("Conformance kit on RabbitMQ (amqp://)")
class AmqpConformanceTest extends TransportConformanceKit {

    private final BrokerEndpoint broker;

    AmqpConformanceTest(BrokerEndpoint broker) {
        this.broker = broker;
    }

    @Override
    protected ConnectionOptions connectionOptions() {
        return broker.builder().connectionName("seedmq-kit").build();
    }
}
