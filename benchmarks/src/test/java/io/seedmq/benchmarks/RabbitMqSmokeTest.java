package io.seedmq.benchmarks;

import io.seedmq.messaging.amqp.test.BrokerEndpoint;
import io.seedmq.messaging.amqp.test.RabbitBroker;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@RabbitBroker
@DisplayName("The harness on RabbitMQ produces a whole, sane table")
class RabbitMqSmokeTest {

    private final BrokerEndpoint broker;

    RabbitMqSmokeTest(BrokerEndpoint broker) {
        this.broker = broker;
    }

    @Test
    @DisplayName("each AMQP scenario reports every figure for seedmq and the raw client")
    void amqpScenariosReportEveryFigure() {
        List<Scenario> amqp = Scenarios.all().stream().filter(Scenario::needsBroker).toList();
        SmokeCheck.runAndCheck(amqp, SmokeCheck.brief(broker.url()));
    }
}
