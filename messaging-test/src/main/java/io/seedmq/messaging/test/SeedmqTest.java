package io.seedmq.messaging.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a JUnit 5 test class a broker, and its tests connections, unique names and clean-up.
 *
 * <pre>{@code
 * @SeedmqTest                                       // memory:// unless -Dseedmq.test.broker=rabbitmq
 * class OrderServiceTest {
 *     @Test
 *     void placesAnOrder(Connection connection, TestNames names) { ... }
 * }
 *
 * @SeedmqTest(broker = BrokerKind.RABBITMQ)         // always a real RabbitMQ
 * class OrderServiceOnRabbitMqTest { ... }
 * }</pre>
 *
 * <p>Test methods, lifecycle methods and constructors may take these parameters (see
 * {@link SeedmqExtension} for the details):
 * <ul>
 *   <li>{@link io.seedmq.messaging.Connection}: a new open connection per parameter, closed after the
 *       test (after the class, for a constructor or {@code @BeforeAll} parameter);
 *   <li>{@link io.seedmq.messaging.ConnectionOptions}: the broker's options, for code that opens its
 *       own connections;
 *   <li>{@link TestBroker}: the broker itself (kind, source, options, more connections);
 *   <li>{@link TestNames}: names unique to the test, whose queues and exchanges are deleted after it.
 * </ul>
 *
 * <p>{@code @Nested} classes share the broker of their outermost class.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(SeedmqExtension.class)
public @interface SeedmqTest {

    /** @return the broker the class runs on; by default the run's choice */
    BrokerKind broker() default BrokerKind.DEFAULT;
}
