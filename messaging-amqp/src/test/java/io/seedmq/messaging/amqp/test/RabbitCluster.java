package io.seedmq.messaging.amqp.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class against a three-node RabbitMQ cluster of its own, whose nodes the tests may
 * stop and start ({@code stop_app}/{@code start_app}), found by {@link ClusterExtension}. Test
 * methods and constructors take a {@link Cluster}. Without a cluster the tests are skipped with the
 * reason, or fail when {@code SEEDMQ_REQUIRE_BROKER=true}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(ClusterExtension.class)
public @interface RabbitCluster {
}
