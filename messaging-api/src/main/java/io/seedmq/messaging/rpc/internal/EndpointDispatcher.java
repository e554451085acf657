package io.seedmq.messaging.rpc.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.seedmq.messaging.rpc.AccessPolicy;
import io.seedmq.messaging.rpc.RpcClient;
import io.seedmq.messaging.rpc.RpcMethod;
import io.seedmq.messaging.rpc.internal.Failures.DispatchFailure;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the endpoint method for a request by oslo's rules: the first endpoint whose namespace
 * equals the request's and whose version is compatible with it, and which has the method, runs
 * it. A compatible endpoint without the method makes the failure {@code NoSuchMethod}; no
 * compatible endpoint makes it {@code UnsupportedVersion}. The method tables are built once.
 */
final class EndpointDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(EndpointDispatcher.class);

    /** oslo's {@code PingEndpoint}: added after the application's endpoints when pings are enabled. */
    public static final class PingEndpoint {
        /** @return {@code "pong"}, as oslo's dispatcher answers (the name is oslo's, on the wire) */
        public String oslo_rpc_server_ping() {
            return "pong";
        }
    }

    private record Endpoint(String namespace, String version, Map<String, EndpointMethod> methods) {
    }

    private final List<Endpoint> endpoints;

    /**
     * @param endpoints the application's endpoints, in dispatch order
     * @param policy which methods are callable
     * @param mapper binds arguments
     * @param ping whether to answer oslo's {@value RpcClient#PING_METHOD}, as oslo does with {@code rpc_ping_enabled}
     */
    EndpointDispatcher(List<?> endpoints, AccessPolicy policy, ObjectMapper mapper, boolean ping) {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("an RPC server needs at least one endpoint");
        }
        List<Endpoint> tables = new ArrayList<>();
        for (Object endpoint : endpoints) {
            tables.add(table(Objects.requireNonNull(endpoint, "endpoint"), policy, mapper));
        }
        boolean taken = tables.stream().anyMatch(t -> t.methods().containsKey(RpcClient.PING_METHOD));
        if (ping && taken) {
            // As oslo's dispatcher: the application's method answers, the built-in one is not added.
            LOG.warn("rpc ping is enabled but an endpoint already has a method named {}; not adding the ping endpoint",
                    RpcClient.PING_METHOD);
        } else if (ping) {
            tables.add(table(new PingEndpoint(), AccessPolicy.PUBLIC_METHODS, mapper));
        }
        this.endpoints = List.copyOf(tables);
    }

    private static Endpoint table(Object endpoint, AccessPolicy policy, ObjectMapper mapper) {
        if (endpoint instanceof InterfaceEndpoint typed) {
            return interfaceTable(typed, policy, mapper);
        }
        Class<?> type = endpoint.getClass();
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
        List<Method> served = methods.values().stream().map(EndpointMethod::method).toList();
        return new Endpoint(Signature.namespace(type), servedVersion(type, served), Map.copyOf(methods));
    }

    /** The interface's methods, all of which must be servable: a refusal here beats a failure at call time. */
    private static Endpoint interfaceTable(InterfaceEndpoint typed, AccessPolicy policy, ObjectMapper mapper) {
        List<Signature> signatures = Signature.ofInterface(typed.api(), policy == AccessPolicy.ANNOTATED, true);
        Map<String, EndpointMethod> methods = new LinkedHashMap<>();
        signatures.forEach(s -> methods.put(s.name(), new EndpointMethod(typed.implementation(), s.method(), mapper)));
        List<Method> served = signatures.stream().map(Signature::method).toList();
        return new Endpoint(Signature.namespace(typed.api()), servedVersion(typed.api(), served), Map.copyOf(methods));
    }

    /**
     * An endpoint serves at the highest version among its own and its methods' (a method added in
     * a later minor version says so with {@code @RpcMethod(version = ...)}), all of one major.
     */
    private static String servedVersion(Class<?> type, List<Method> methods) {
        String version = Signature.version(type);
        for (Method m : methods) {
            RpcMethod annotation = m.getAnnotation(RpcMethod.class);
            if (annotation == null || annotation.version().isEmpty()) {
                continue;
            }
            String needed = annotation.version();
            if (Versions.parse(needed)[0] != Versions.parse(version)[0]) {
                throw new IllegalArgumentException(Signature.describe(m) + ": version " + needed
                        + " is not of the endpoint's major version (" + Signature.version(type) + ")");
            }
            if (!Versions.compatible(version, needed)) {
                version = needed;
            }
        }
        return version;
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
     * @return whether {@link #resolve} would find a method: a name that is safe to use as a tag
     */
    boolean has(String method, String namespace, String version) {
        String requested = version == null ? "1.0" : version;
        for (Endpoint endpoint : endpoints) {
            if (Objects.equals(endpoint.namespace(), namespace) && compatible(endpoint.version(), requested)
                    && method != null && endpoint.methods().containsKey(method)) {
                return true;
            }
        }
        return false;
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
