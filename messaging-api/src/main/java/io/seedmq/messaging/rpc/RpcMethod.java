package io.seedmq.messaging.rpc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an endpoint method as callable, optionally under another name. Needed only with
 * {@link AccessPolicy#ANNOTATED}; with the default policy every public method is callable.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface RpcMethod {

    /** @return the name callers use; empty for the Java method's name */
    String value() default "";

    /**
     * @return exceptions this method throws as part of its contract (oslo's
     *     {@code expected_exceptions}): sent back to the caller like any failure, but not logged
     *     as an error by the server
     */
    Class<? extends Throwable>[] expected() default {};
}
