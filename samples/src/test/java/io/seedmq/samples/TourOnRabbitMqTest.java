package io.seedmq.samples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seedmq.messaging.test.BrokerKind;
import io.seedmq.messaging.test.SeedmqTest;
import io.seedmq.messaging.test.TestBroker;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

@SeedmqTest(broker = BrokerKind.RABBITMQ)
@DisplayName("Every sample passes its own check on RabbitMQ")
class TourOnRabbitMqTest {

    private final TestBroker broker;

    TourOnRabbitMqTest(TestBroker broker) {
        this.broker = broker;
    }

    @TestFactory
    Stream<DynamicTest> everySamplePassesOnRabbitMq() {
        return Main.samples().stream().map(sample -> DynamicTest.dynamicTest(sample.name(), () -> {
            Check check = sample.runInProcess(broker.url(), Names.unique());
            assertTrue(check.passed(), check.summary());
        }));
    }
}
