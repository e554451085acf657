package io.seedmq.messaging.amqp.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class against a RabbitMQ node of its own that the tests may restart
 * ({@code stop_app}/{@code start_app}) and whose connections they may close, found by
 * {@link FaultBrokerExtension}. Test methods and constructors take a {@link FaultNode}. Without such a node the tests are skipped
 * with the reason, or fail when {@code SEEDMQ_REQUIRE_BROKER=true}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(FaultBrokerExtension.class)
public @interface FaultBroker {
}
