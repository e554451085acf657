package io.seedmq.messaging.rpc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * States the namespace and version an endpoint class serves, as an oslo endpoint's {@code target}
 * attribute. Without it an endpoint serves the default namespace at version {@code 1.0}.
 *
 * <pre>{@code
 * @RpcEndpoint(namespace = "calc", version = "1.3")
 * public class CalculatorV1 { public int add(int x, int y) { return x + y; } }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface RpcEndpoint {

    /** @return the namespace served; empty for the default namespace */
    String namespace() default "";

    /** @return the version served, {@code major.minor}; empty for {@code 1.0} */
    String version() default "";
}
