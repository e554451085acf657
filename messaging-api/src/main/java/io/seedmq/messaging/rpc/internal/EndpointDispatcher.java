package io.seedmq.messaging.rpc.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.seedmq.messaging.rpc.AccessPolicy;
import io.seedmq.messaging.rpc.RpcEndpoint;
import io.seedmq.messaging.rpc.RpcMethod;
import io.seedmq.messaging.rpc.internal.Failures.DispatchFailure;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Chooses the endpoint method for a request by oslo's rules: the first endpoint whose namespace
 * equals the request's and whose version is compatible with it, and which has the method, runs
 * it. A compatible endpoint without the method makes the failure {@code NoSuchMethod}; no
 * compatible endpoint makes it {@code UnsupportedVersion}. The method tables are built once.
 */
final class EndpointDispatcher {

    private record Endpoint(String namespace, String version, Map<String, EndpointMethod> methods) {
    }

    private final List<Endpoint> endpoints;

    EndpointDispatcher(List<?> endpoints, AccessPolicy policy, ObjectMapper mapper) {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("an RPC server needs at least one endpoint");
        }
        this.endpoints = endpoints.stream().map(e -> table(Objects.requireNonNull(e, "endpoint"), policy, mapper)).toList();
    }

    private static Endpoint table(Object endpoint, AccessPolicy policy, ObjectMapper mapper) {
        Class<?> type = endpoint.getClass();
        RpcEndpoint target = type.getAnnotation(RpcEndpoint.class);
        String namespace = target == null || target.namespace().isEmpty() ? null : target.namespace();
        String version = target == null || target.version().isEmpty() ? "1.0" : target.version();
        Versions.parse(version);
        Map<String, EndpointMethod> methods = new LinkedHashMap<>();
        for (Method m : type.getMethods()) {
            if (!callable(m, policy)) {
                continue;
            }
            EndpointMethod em = new EndpointMethod(endpoint, m, mapper);
            if (em.name().startsWith("_")) {
                continue;
            }
            EndpointMethod clash = methods.putIfAbsent(em.name(), em);
            if (clash != null) {
                throw new IllegalArgumentException("endpoint " + type.getName() + " has two methods named '" + em.name()
                        + "' (" + clash + ", " + em + "): RPC dispatches by name, so rename one with @RpcMethod");
            }
        }
        return new Endpoint(namespace, version, Map.copyOf(methods));
    }

    private static boolean callable(Method m, AccessPolicy policy) {
        if (m.getDeclaringClass() == Object.class || Modifier.isStatic(m.getModifiers())
                || m.isSynthetic() || m.isBridge() || m.getName().startsWith("_")) {
            return false;
        }
        return policy == AccessPolicy.PUBLIC_METHODS || m.isAnnotationPresent(RpcMethod.class);
    }

    /**
     * @param method the requested method, or {@code null}
     * @param namespace the requested namespace, or {@code null}
     * @param version the requested version, or {@code null} for {@code 1.0}
     * @return the method to run
     * @throws DispatchFailure {@code NoSuchMethod} or {@code UnsupportedVersion}
     */
    EndpointMethod resolve(String method, String namespace, String version) {
        String requested = version == null ? "1.0" : version;
        boolean compatibleFound = false;
        for (Endpoint endpoint : endpoints) {
            if (!Objects.equals(endpoint.namespace(), namespace) || !compatible(endpoint.version(), requested)) {
                continue;
            }
            EndpointMethod m = method == null ? null : endpoint.methods().get(method);
            if (m != null) {
                return m;
            }
            compatibleFound = true;
        }
        String shown = method == null ? "None" : method;
        throw compatibleFound ? DispatchFailure.noSuchMethod(shown) : DispatchFailure.unsupportedVersion(requested, shown);
    }

    private static boolean compatible(String implemented, String requested) {
        try {
            return Versions.compatible(implemented, requested);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
