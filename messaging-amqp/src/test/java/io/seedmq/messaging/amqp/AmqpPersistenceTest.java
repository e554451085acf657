package io.seedmq.messaging.amqp;

import io.seedmq.messaging.ConnectionOptions;
import io.seedmq.messaging.amqp.test.FaultNode;
import io.seedmq.messaging.amqp.test.FaultBroker;
import io.seedmq.messaging.conformance.TransportConformanceKit;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The kit's persistence case on the RabbitMQ node the tests may restart ({@link FaultBroker}):
 * durable queues keep persistent messages across {@code stop_app}/{@code start_app}. Only that case
 * runs here; {@link AmqpConformanceTest} runs the rest on the shared broker.
 */
@FaultBroker
@ExtendWith(AmqpPersistenceTest.OnlyPersistence.class)
@DisplayName("Conformance kit on RabbitMQ: persistence across a broker restart")
class AmqpPersistenceTest extends TransportConformanceKit {

    private final FaultNode broker;

    AmqpPersistenceTest(FaultNode broker) {
        this.broker = broker;
    }

    @Override
    protected ConnectionOptions connectionOptions() {
        return broker.builder().connectionName("seedmq-kit-persistence").build();
    }

    @Override
    protected boolean supportsPersistence() {
        return true;
    }

    @Override
    protected void restartBroker() {
        try {
            broker.rabbitmqctl().stopApp();
            broker.rabbitmqctl().startApp();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the persistence case only. */
    static final class OnlyPersistence implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getTestMethod()
                    .map(m -> m.getName().equals("persistence")
                            ? ConditionEvaluationResult.enabled("the persistence case")
                            : ConditionEvaluationResult.disabled("run by AmqpConformanceTest on the shared broker"))
                    .orElse(ConditionEvaluationResult.enabled("a container"));
        }
    }
}
