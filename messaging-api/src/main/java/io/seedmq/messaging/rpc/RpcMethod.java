package io.seedmq.messaging.rpc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an endpoint method as callable, optionally under another name. Needed only with
 * {@link AccessPolicy#ANNOTATED}; with the default policy every public method is callable. On a
 * method of an RPC interface it applies to both sides: the proxy sends the name and the version,
 * the server answers to the name.
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

    /**
     * @return the version this method needs, {@code major.minor}, above the interface's or endpoint's
     *     {@link RpcEndpoint#version()} when the method came in a later minor version (oslo's rolling
     *     upgrade); empty for the endpoint's version. A proxy sends it, after checking
     *     {@link RpcClient#canSendVersion(String)} against the client's version cap
     *     ({@link VersionCapException} otherwise, nothing sent); a server serves at the highest
     *     version among its methods. Same major version as the endpoint's
     */
    String version() default "";
}
