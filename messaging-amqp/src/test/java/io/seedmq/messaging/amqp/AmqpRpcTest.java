package io.seedmq.messaging.amqp;

import io.seedmq.messaging.ConnectionOptions;
import io.seedmq.messaging.rpc.RpcKit;
import io.seedmq.messaging.test.BrokerKind;
import io.seedmq.messaging.test.SeedmqTest;
import io.seedmq.messaging.test.TestBroker;
import org.junit.jupiter.api.DisplayName;

/** The RPC kit on RabbitMQ: the oslo queues, exchanges and reply flow on a real broker. */
@SeedmqTest(broker = BrokerKind.RABBITMQ)
@DisplayName("RPC kit on RabbitMQ (amqp://)")
class AmqpRpcTest extends RpcKit {

    private final TestBroker broker;

    AmqpRpcTest(TestBroker broker) {
        this.broker = broker;
    }

    @Override
    protected ConnectionOptions connectionOptions() {
        return broker.options().toBuilder().connectionName("seedmq-rpc-kit").build();
    }
}
