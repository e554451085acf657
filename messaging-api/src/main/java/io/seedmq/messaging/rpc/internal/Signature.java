package io.seedmq.messaging.rpc.internal;

import io.seedmq.messaging.oslo.Context;
import io.seedmq.messaging.rpc.RpcEndpoint;
import io.seedmq.messaging.rpc.RpcMethod;
import io.seedmq.messaging.rpc.RpcParam;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How one Java method maps onto an RPC request, the same for a server's endpoint method and a
 * client proxy's method: the name callers use, the argument name of each parameter, whether a
 * leading {@link Context} takes the request context, and the version the method needs.
 *
 * @param method the Java method
 * @param name the RPC method name ({@link RpcMethod#value()} or the Java name)
 * @param argumentNames the argument name of each parameter after the context, in order
 * @param takesContext whether the first parameter is the context
 * @param version the version the method needs ({@link RpcMethod#version()}), or {@code null} for its endpoint's
 */
record Signature(Method method, String name, List<String> argumentNames, boolean takesContext, String version) {

    /**
     * @param method a method
     * @return its signature
     * @throws IllegalArgumentException when a parameter has no known name or a context is not first
     */
    static Signature of(Method method) {
        RpcMethod annotation = method.getAnnotation(RpcMethod.class);
        String name = annotation != null && !annotation.value().isEmpty() ? annotation.value() : method.getName();
        String version = annotation == null || annotation.version().isEmpty() ? null : annotation.version();
        if (version != null) {
            Versions.parse(version);
        }
        Parameter[] declared = method.getParameters();
        boolean takesContext = declared.length > 0 && declared[0].getType() == Context.class;
        List<String> names = new ArrayList<>();
        for (int i = takesContext ? 1 : 0; i < declared.length; i++) {
            Parameter p = declared[i];
            if (p.getType() == Context.class) {
                throw new IllegalArgumentException(describe(method) + ": a Context parameter must come first");
            }
            RpcParam rename = p.getAnnotation(RpcParam.class);
            if (rename != null) {
                names.add(rename.value());
            } else if (p.isNamePresent()) {
                names.add(p.getName());
            } else {
                throw new IllegalArgumentException(describe(method) + ": parameter names are unknown; compile with"
                        + " -parameters or name each parameter with @RpcParam");
            }
        }
        return new Signature(method, name, List.copyOf(names), takesContext, version);
    }

    /**
     * The methods of an RPC interface that go over the wire, checked so that a server refuses at
     * {@code create} (and a proxy at creation) what dispatch could not serve: a name starting with
     * {@code _}, parameters without names, a context that is not first, a type variable Jackson
     * cannot decode into, a version of another major than the interface's; for a server, also two
     * methods of one RPC name (a client may have them: the same method at two versions, the later
     * sent when {@code canSendVersion} allows, as oslo's rolling upgrade does). Default and static
     * methods are local: they are neither sent nor served.
     *
     * @param api an interface
     * @param annotatedOnly whether only {@link RpcMethod}-annotated methods may be served
     * @param serving whether a server will serve them (one method per RPC name)
     * @return the signatures, in the order of {@link Class#getMethods()}
     * @throws IllegalArgumentException naming every method that cannot be served
     */
    static List<Signature> ofInterface(Class<?> api, boolean annotatedOnly, boolean serving) {
        if (!api.isInterface()) {
            throw new IllegalArgumentException(api.getName() + " is not an interface");
        }
        Map<String, Signature> out = new LinkedHashMap<>();
        List<Signature> signatures = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        String base = version(api);
        for (Method m : api.getMethods()) {
            if (m.isDefault() || Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            Signature s;
            try {
                s = of(m);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
                continue;
            }
            if (s.name().startsWith("_")) {
                problems.add(describe(m) + ": RPC never dispatches a name starting with '_'");
            }
            if (annotatedOnly && !m.isAnnotationPresent(RpcMethod.class)) {
                problems.add(describe(m) + ": not annotated @RpcMethod, which AccessPolicy.ANNOTATED requires");
            }
            for (Type t : m.getGenericParameterTypes()) {
                if (hasTypeVariable(t)) {
                    problems.add(describe(m) + ": parameter type " + t.getTypeName() + " has a type variable; RPC"
                            + " arguments decode into concrete types only");
                }
            }
            if (hasTypeVariable(m.getGenericReturnType())) {
                problems.add(describe(m) + ": return type " + m.getGenericReturnType().getTypeName()
                        + " has a type variable; RPC results decode into concrete types only");
            }
            if (s.version() != null && Versions.parse(s.version())[0] != Versions.parse(base)[0]) {
                problems.add(describe(m) + ": version " + s.version() + " is not of the interface's major version ("
                        + base + ")");
            }
            signatures.add(s);
            Signature clash = out.putIfAbsent(s.name(), s);
            if (clash != null && serving) {
                problems.add(describe(m) + ": a second method named '" + s.name() + "' (RPC dispatches by name;"
                        + " rename one with @RpcMethod)");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("RPC interface " + api.getName() + " cannot be served:\n  "
                    + String.join("\n  ", problems));
        }
        return List.copyOf(signatures);
    }

    /**
     * @param type an endpoint class or RPC interface
     * @return the version its {@link RpcEndpoint} states, {@code 1.0} without one
     */
    static String version(Class<?> type) {
        RpcEndpoint target = type.getAnnotation(RpcEndpoint.class);
        String version = target == null || target.version().isEmpty() ? "1.0" : target.version();
        Versions.parse(version);
        return version;
    }

    /**
     * @param type an endpoint class or RPC interface
     * @return the namespace its {@link RpcEndpoint} states, or {@code null}
     */
    static String namespace(Class<?> type) {
        RpcEndpoint target = type.getAnnotation(RpcEndpoint.class);
        return target == null || target.namespace().isEmpty() ? null : target.namespace();
    }

    private static boolean hasTypeVariable(Type type) {
        if (type instanceof TypeVariable<?>) {
            return true;
        }
        if (type instanceof ParameterizedType p) {
            for (Type arg : p.getActualTypeArguments()) {
                if (hasTypeVariable(arg)) {
                    return true;
                }
            }
            return false;
        }
        if (type instanceof GenericArrayType a) {
            return hasTypeVariable(a.getGenericComponentType());
        }
        if (type instanceof WildcardType w) {
            for (Type bound : w.getUpperBounds()) {
                if (hasTypeVariable(bound)) {
                    return true;
                }
            }
        }
        return false;
    }

    static String describe(Method method) {
        return method.getDeclaringClass().getName() + "." + method.getName();
    }
}
