package io.seedmq.messaging.rpc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a method of an RPC interface a cast: the proxy ({@link RpcClient#proxy(Class)}) sends the
 * request and returns once the broker has it, without waiting for a result. The method must return
 * {@code void}. Servers ignore the annotation: a cast and a call run the same method.
 *
 * <pre>{@code
 * @RpcCast void reset(Context ctx);
 * @RpcCast(fanout = true) void refresh(Context ctx);     // to every server of the topic
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface RpcCast {

    /** @return whether the cast goes to every server of the topic (oslo's {@code fanout=True}) */
    boolean fanout() default false;
}
