package io.seedmq.messaging.amqp;

import io.seedmq.messaging.ConnectionOptions;
import io.seedmq.messaging.amqp.test.Rabbitmqctl;
import io.seedmq.messaging.observation.ObservabilityKit;
import io.seedmq.messaging.test.BrokerKind;
import io.seedmq.messaging.test.SeedmqTest;
import io.seedmq.messaging.test.TestBroker;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;

/** The observability kit on RabbitMQ: publish confirms, returns, redeliveries and a real connection loss. */
@SeedmqTest(broker = BrokerKind.RABBITMQ)
@DisplayName("Observability kit on RabbitMQ (amqp://)")
class AmqpObservabilityTest extends ObservabilityKit {

    private final TestBroker broker;

    AmqpObservabilityTest(TestBroker broker) {
        this.broker = broker;
    }

    @Override
    protected ConnectionOptions connectionOptions() {
        return broker.options().toBuilder().connectionName("seedmq-observability-kit").build();
    }

    /** Closes the connection's AMQP connections on the broker, as a network failure would; recovery follows. */
    @Override
    protected void loseConnection(String connectionName) throws Exception {
        Rabbitmqctl ctl = Rabbitmqctl.local(broker).orElse(null);
        Assumptions.assumeTrue(ctl != null, "rabbitmqctl is not usable here: " + broker);
        ctl.closeConnections(connectionName, "seedmq observability kit");
    }
}
