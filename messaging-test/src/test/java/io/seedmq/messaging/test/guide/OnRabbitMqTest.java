package io.seedmq.messaging.test.guide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seedmq.messaging.Connection;
import io.seedmq.messaging.ConnectionOptions;
import io.seedmq.messaging.Queue;
import io.seedmq.messaging.test.BrokerKind;
import io.seedmq.messaging.test.SeedmqTest;
import io.seedmq.messaging.test.TestBroker;
import io.seedmq.messaging.test.TestNames;
import org.junit.jupiter.api.Test;

// docs/testing.md, "Choosing the broker". The kit's own tests have no AMQP transport on the class
// path, so this class runs on the run's broker (memory://); in an application, BrokerKind.RABBITMQ.
@SeedmqTest(broker = BrokerKind.DEFAULT)
class OnRabbitMqTest {

    /** The code under test opens its own connection from options, as a service does from its configuration. */
    record Service(ConnectionOptions options, String queue) {
        long backlog() {
            try (Connection connection = Connection.open(options)) {
                return connection.declare(Queue.named(queue)).messageCount();
            }
        }
    }

    @Test
    void opensItsOwnConnection(ConnectionOptions options, TestBroker broker, TestNames names) {
        Service service = new Service(options, names.of("jobs"));
        assertEquals(0, service.backlog());
        assertTrue(broker.options().redactedUrl().startsWith(broker.kind() == BrokerKind.MEMORY ? "memory://" : "amqp"));
    }
}
