package io.seedmq.messaging.rpc;

/**
 * Which endpoint methods a request may invoke. Whatever the policy, methods whose name starts
 * with {@code _}, non-public and static methods, and the methods of {@link Object} are never
 * callable.
 */
public enum AccessPolicy {
    /** Every public instance method, as oslo's {@code DefaultRPCAccessPolicy}. */
    PUBLIC_METHODS,
    /** Only methods annotated with {@link RpcMethod}: nothing is exposed by accident. */
    ANNOTATED
}
