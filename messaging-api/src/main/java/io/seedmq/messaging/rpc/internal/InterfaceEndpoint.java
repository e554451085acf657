package io.seedmq.messaging.rpc.internal;

import java.util.Objects;

/**
 * An endpoint served through an RPC interface: only the interface's methods are callable, with the
 * interface's names, parameters and {@code @RpcEndpoint}, whatever else the implementation has.
 *
 * @param api the interface
 * @param implementation an object implementing it
 */
public record InterfaceEndpoint(Class<?> api, Object implementation) {

    /** Checks that the implementation implements the interface. */
    public InterfaceEndpoint {
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(implementation, "implementation");
        if (!api.isInterface()) {
            throw new IllegalArgumentException(api.getName() + " is not an interface");
        }
        if (!api.isInstance(implementation)) {
            throw new IllegalArgumentException(implementation.getClass().getName() + " does not implement " + api.getName());
        }
    }
}
