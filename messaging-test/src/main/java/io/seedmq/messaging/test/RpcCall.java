package io.seedmq.messaging.test;

import io.seedmq.messaging.oslo.Context;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One call an {@link RpcDouble} received, as its server decoded it.
 *
 * @param method the RPC method name
 * @param context the request context
 * @param arguments the arguments by name, decoded into the interface's parameter types, in order
 */
public record RpcCall(String method, Context context, Map<String, Object> arguments) {

    /** Copies the arguments (which may hold {@code null} values, so not with {@code Map.copyOf}). */
    public RpcCall {
        arguments = Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
    }

    /**
     * @param name an argument's name
     * @param type its type
     * @param <A> its type
     * @return the argument
     * @throws IllegalArgumentException when the call has no argument of that name
     */
    public <A> A argument(String name, Class<A> type) {
        if (!arguments.containsKey(name)) {
            throw new IllegalArgumentException(method + " has no argument '" + name + "'; it has " + arguments.keySet());
        }
        return type.cast(arguments.get(name));
    }

    /** @return the argument values in parameter order */
    public List<Object> values() {
        return Collections.unmodifiableList(new ArrayList<>(arguments.values()));
    }

    @Override
    public String toString() {
        return method + arguments + (context.asMap().isEmpty() ? "" : " context " + context.asMap());
    }
}
