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
    @DisplayName("each AMQP scenario reports every figure for seedmq, the raw client and, in 1, 1b, 2, 4a, 4b and 5, Spring AMQP")
    void amqpScenariosReportEveryFigure() {
        List<Scenario> amqp = Scenarios.all().stream().filter(Scenario::needsBroker).toList();
        SmokeCheck.runAndCheck(amqp, SmokeCheck.brief(broker.url()));
    }
}
