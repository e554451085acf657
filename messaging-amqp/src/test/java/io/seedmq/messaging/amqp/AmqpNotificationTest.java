package io.seedmq.messaging.amqp;

import io.seedmq.messaging.ConnectionOptions;
import io.seedmq.messaging.notify.NotificationKit;
import io.seedmq.messaging.test.BrokerKind;
import io.seedmq.messaging.test.SeedmqTest;
import io.seedmq.messaging.test.TestBroker;
import org.junit.jupiter.api.DisplayName;

/** The notification kit on RabbitMQ, found by {@link SeedmqTest}. */
@SeedmqTest(broker = BrokerKind.RABBITMQ)
@DisplayName("Notifications on RabbitMQ (amqp://)")
class AmqpNotificationTest extends NotificationKit {

    private final TestBroker broker;

    AmqpNotificationTest(TestBroker broker) {
        this.broker = broker;
    }

    @Override
    protected ConnectionOptions connectionOptions() {
        return broker.options().toBuilder().connectionName("seedmq-notify-kit").build();
    }
}
