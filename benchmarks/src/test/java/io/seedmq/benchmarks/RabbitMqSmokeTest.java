package io.seedmq.benchmarks;

import io.seedmq.messaging.test.BrokerKind;
import io.seedmq.messaging.test.SeedmqTest;
import io.seedmq.messaging.test.TestBroker;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@SeedmqTest(broker = BrokerKind.RABBITMQ)
@DisplayName("The harness on RabbitMQ produces a whole, sane table")
class RabbitMqSmokeTest {

    private final TestBroker broker;

    RabbitMqSmokeTest(TestBroker broker) {
        this.broker = broker;
    }

    @Test
    @DisplayName("each AMQP scenario reports every figure for seedmq and the raw client")
    void amqpScenariosReportEveryFigure() {
        List<Scenario> amqp = Scenarios.all().stream().filter(Scenario::needsBroker).toList();
        SmokeCheck.runAndCheck(amqp, SmokeCheck.brief(broker.url()));
    }
}
