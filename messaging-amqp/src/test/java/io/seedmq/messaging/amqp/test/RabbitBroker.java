package io.seedmq.messaging.amqp.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class against a real RabbitMQ, found by {@link RabbitBrokerExtension}: tests are
 * skipped with the reason when there is none, or fail when {@code SEEDMQ_REQUIRE_BROKER=true}. Test
 * methods and constructors may take a {@link BrokerEndpoint} parameter.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(RabbitBrokerExtension.class)
public @interface RabbitBroker {
}
