package io.seedmq.messaging.rpc.internal;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seedmq.messaging.oslo.Context;
import io.seedmq.messaging.rpc.RpcCast;
import io.seedmq.messaging.rpc.RpcClient;
import io.seedmq.messaging.rpc.RpcTimeout;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The invocation handler behind {@link RpcClient#proxy(Class)}: each interface method is worked out
 * once (name, argument names, context, call or cast, result type, version, timeout) into a prepared
 * client, so an invocation only builds the argument map and sends.
 */
final class RpcProxy implements InvocationHandler {

    /** What an interface method sends, and how its result comes back. */
    private enum Kind { CALL, ASYNC, CAST }

    private record Plan(Signature signature, Kind kind, JavaType resultType, DefaultRpcClient client) {
    }

    private final Class<?> api;
    private final DefaultRpcClient base;
    private final Map<Method, Plan> plans = new HashMap<>();

    private RpcProxy(Class<?> api, DefaultRpcClient base, ObjectMapper mapper) {
        this.api = api;
        this.base = base;
        String namespace = Signature.namespace(api);
        String version = Signature.version(api);
        RpcTimeout apiTimeout = api.getAnnotation(RpcTimeout.class);
        for (Signature s : Signature.ofInterface(api, false, false)) {
            Method m = s.method();
            RpcCast cast = m.getAnnotation(RpcCast.class);
            Class<?> returned = m.getReturnType();
            Kind kind;
            JavaType resultType;
            if (cast != null) {
                if (returned != void.class) {
                    throw new IllegalArgumentException(Signature.describe(m) + ": a @RpcCast method returns void,"
                            + " as a cast has no result");
                }
                kind = Kind.CAST;
                resultType = null;
            } else if (returned == CompletableFuture.class || returned == CompletionStage.class) {
                kind = Kind.ASYNC;
                resultType = mapper.getTypeFactory().constructType(m.getGenericReturnType()).containedTypeOrUnknown(0);
            } else {
                kind = Kind.CALL;
                resultType = mapper.getTypeFactory().constructType(m.getGenericReturnType());
            }
            RpcTimeout timeout = m.getAnnotation(RpcTimeout.class) != null ? m.getAnnotation(RpcTimeout.class) : apiTimeout;
            RpcClient.Builder prepared = base.prepare()
                    .version(s.version() != null ? s.version() : version)
                    .fanout(cast != null && cast.fanout());
            if (namespace != null) {
                prepared.namespace(namespace);
            }
            if (timeout != null) {
                prepared.timeout(Duration.of(timeout.value(), timeout.unit().toChronoUnit()));
            }
            plans.put(m, new Plan(s, kind, resultType, (DefaultRpcClient) prepared.build()));
        }
    }

    /**
     * @param api a public interface
     * @param client the client whose target, options and connection the proxy uses
     * @param mapper the client's mapper, for the result types
     * @param <T> the interface
     * @return the proxy
     */
    static <T> T create(Class<T> api, DefaultRpcClient client, ObjectMapper mapper) {
        RpcProxy handler = new RpcProxy(api, client, mapper);
        return api.cast(Proxy.newProxyInstance(api.getClassLoader(), new Class<?>[] {api}, handler));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                default -> toString();
            };
        }
        if (method.isDefault()) {
            // A default method is a local helper of the interface: it runs here, calling the other methods.
            return InvocationHandler.invokeDefault(proxy, method, args);
        }
        Plan plan = plans.get(method);
        Signature s = plan.signature();
        Object[] values = args == null ? new Object[0] : args;
        Context context = s.takesContext() && values[0] != null ? (Context) values[0] : Context.empty();
        Map<String, Object> arguments = new LinkedHashMap<>();
        List<String> names = s.argumentNames();
        for (int i = 0; i < names.size(); i++) {
            Object value = values[i + (s.takesContext() ? 1 : 0)];
            if (value instanceof Optional<?> optional) {
                // An empty Optional is an argument left out, as a server reads a missing Optional parameter.
                if (optional.isPresent()) {
                    arguments.put(names.get(i), optional.get());
                }
            } else {
                arguments.put(names.get(i), value);
            }
        }
        return switch (plan.kind()) {
            case CAST -> {
                plan.client().cast(context, s.name(), arguments);
                yield null;
            }
            case ASYNC -> plan.client().callAsync(context, s.name(), arguments, plan.resultType());
            case CALL -> DefaultRpcClient.await(plan.client().callAsync(context, s.name(), arguments, plan.resultType()),
                    s.name());
        };
    }

    @Override
    public String toString() {
        return "RpcClient proxy of " + api.getName() + " to " + base.target();
    }
}
