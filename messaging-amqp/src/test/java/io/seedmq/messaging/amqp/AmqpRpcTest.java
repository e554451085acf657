package io.seedmq.messaging.amqp;

import io.seedmq.messaging.ConnectionOptions;
import io.seedmq.messaging.amqp.test.BrokerEndpoint;
import io.seedmq.messaging.amqp.test.RabbitBroker;
import io.seedmq.messaging.rpc.RpcKit;
import org.junit.jupiter.api.DisplayName;

/** The RPC kit on RabbitMQ: the oslo queues, exchanges and reply flow on a real broker. */
@RabbitBroker
@DisplayName("RPC kit on RabbitMQ (amqp://)")
class AmqpRpcTest extends RpcKit {

    private final BrokerEndpoint broker;

    AmqpRpcTest(BrokerEndpoint broker) {
        this.broker = broker;
    }

    @Override
    protected ConnectionOptions connectionOptions() {
        return broker.builder().connectionName("seedmq-rpc-kit").build();
    }
}
