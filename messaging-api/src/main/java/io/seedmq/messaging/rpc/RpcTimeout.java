package io.seedmq.messaging.rpc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.concurrent.TimeUnit;

/**
 * How long a call made through an RPC interface's proxy waits for its reply, instead of the
 * client's {@link RpcClientOptions#timeout()}. On the interface it applies to every method; on a
 * method, to that method. Also the request's AMQP expiration, as for any call.
 *
 * <pre>{@code
 * @RpcTimeout(5) long fib(int n);                                  // 5 seconds
 * @RpcTimeout(value = 200, unit = TimeUnit.MILLISECONDS) int ping();
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface RpcTimeout {

    /** @return the timeout, positive, in {@link #unit()} */
    long value();

    /** @return the unit of {@link #value()} */
    TimeUnit unit() default TimeUnit.SECONDS;
}
