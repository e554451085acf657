package io.seedmq.samples;

import io.seedmq.messaging.test.BrokerKind;
import io.seedmq.messaging.test.SeedmqTest;
import io.seedmq.messaging.test.TestBroker;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Load on RabbitMQ: a million messages through a worker in a child JVM with {@code -Xmx64m}. About
 * a minute on a shared machine, so it is tagged {@code soak} and runs with
 * {@code mvn -B -Psoak verify -pl samples -am}, not in the normal test run. See {@link LoadRun}.
 */
@Tag("soak")
@SeedmqTest(broker = BrokerKind.RABBITMQ)
@DisplayName("Soak: a million messages through a worker on RabbitMQ with a bounded heap")
class RabbitMqSoakTest {

    @Test
    @DisplayName("RabbitMQ: a million messages, heap bounded by -Xmx64m, no thread growth")
    void rabbitMq(TestBroker broker) throws Exception {
        LoadRun.run(broker.url());
    }
}
