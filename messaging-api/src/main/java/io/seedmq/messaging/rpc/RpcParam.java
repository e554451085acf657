package io.seedmq.messaging.rpc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the request argument an endpoint method's parameter is bound to. Without it the
 * parameter's own name is used, which needs the endpoint compiled with {@code -parameters}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface RpcParam {

    /** @return the argument's name in the request's {@code args} */
    String value();
}
