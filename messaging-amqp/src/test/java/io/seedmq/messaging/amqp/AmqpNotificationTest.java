package io.seedmq.messaging.amqp;

import io.seedmq.messaging.ConnectionOptions;
import io.seedmq.messaging.amqp.test.BrokerEndpoint;
import io.seedmq.messaging.amqp.test.RabbitBroker;
import io.seedmq.messaging.notify.NotificationKit;
import org.junit.jupiter.api.DisplayName;

/** The notification kit on RabbitMQ, found by {@link RabbitBroker}. */
@RabbitBroker
@DisplayName("Notifications on RabbitMQ (amqp://)")
class AmqpNotificationTest extends NotificationKit {

    private final BrokerEndpoint broker;

    AmqpNotificationTest(BrokerEndpoint broker) {
        this.broker = broker;
    }

    @Override
    protected ConnectionOptions connectionOptions() {
        return broker.builder().connectionName("seedmq-notify-kit").build();
    }
}
