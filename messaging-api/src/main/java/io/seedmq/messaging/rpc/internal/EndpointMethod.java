package io.seedmq.messaging.rpc.internal;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.seedmq.messaging.oslo.Context;
import io.seedmq.messaging.rpc.RpcMethod;
import io.seedmq.messaging.rpc.internal.Failures.DispatchFailure;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One callable method of an endpoint, with what binding a request's {@code args} to its
 * parameters needs: each parameter's name and declared (generic) type, worked out once.
 */
final class EndpointMethod {

    private final Object endpoint;
    private final Method method;
    private final String name;
    private final boolean takesContext;
    private final List<Param> params;
    private final Set<Class<? extends Throwable>> expected;

    /** A parameter, with the reader that binds its argument, made once: a reader per call cost a lookup each. */
    private record Param(String name, JavaType type, boolean optional, ObjectReader reader) {
    }

    EndpointMethod(Object endpoint, Method method, ObjectMapper mapper) {
        this.endpoint = endpoint;
        this.method = method;
        Signature signature = Signature.of(method);
        this.name = signature.name();
        RpcMethod annotation = method.getAnnotation(RpcMethod.class);
        this.expected = annotation == null ? Set.of() : Set.of(annotation.expected());
        this.takesContext = signature.takesContext();
        Parameter[] declared = method.getParameters();
        List<Param> bound = new ArrayList<>();
        for (int i = 0; i < signature.argumentNames().size(); i++) {
            Parameter p = declared[i + (takesContext ? 1 : 0)];
            JavaType type = mapper.getTypeFactory().constructType(p.getParameterizedType());
            boolean optional = type.getRawClass() == Optional.class;
            JavaType bind = optional ? type.containedTypeOrUnknown(0) : type;
            bound.add(new Param(signature.argumentNames().get(i), bind, optional, mapper.readerFor(bind)));
        }
        this.params = List.copyOf(bound);
        // Public methods of a class that is not public (a nested or package-private endpoint)
        // still need this to be invoked reflectively.
        method.trySetAccessible();
    }

    /** @return the Java method it runs */
    Method method() {
        return method;
    }

    /** @return the name callers use */
    String name() {
        return name;
    }

    /**
     * @param error what the method threw
     * @param serverExpected exceptions the server's options declare expected
     * @return whether it is part of the method's contract (not logged as an error)
     */
    boolean isExpected(Throwable error, Set<Class<? extends Throwable>> serverExpected) {
        for (Class<? extends Throwable> type : expected) {
            if (type.isInstance(error)) {
                return true;
            }
        }
        for (Class<? extends Throwable> type : serverExpected) {
            if (type.isInstance(error)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Binds the arguments and invokes the method.
     *
     * @param context the request context
     * @param args the request's {@code args}
     * @return what the method returned
     * @throws DispatchFailure ({@code TypeError}) when an argument is missing, unknown or ill-typed
     * @throws Throwable whatever the method threw
     */
    Object invoke(Context context, JsonNode args) throws Throwable {
        if (args != null && !args.isNull() && !args.isObject()) {
            throw DispatchFailure.badArguments(name + "() takes keyword arguments, got " + args.getNodeType());
        }
        int bound = 0;
        Object[] values = new Object[params.size() + (takesContext ? 1 : 0)];
        int i = 0;
        if (takesContext) {
            values[i++] = context;
        }
        for (Param p : params) {
            JsonNode value = args == null ? null : args.get(p.name());
            if (value == null) {
                if (!p.optional()) {
                    throw DispatchFailure.badArguments(name + "() missing required argument '" + p.name() + "'");
                }
                values[i++] = Optional.empty();
                continue;
            }
            bound++;
            if (value.isNull() && p.type().isPrimitive()) {
                throw DispatchFailure.badArguments(name + "() argument '" + p.name() + "' must be "
                        + p.type().getRawClass().getSimpleName() + ", not null");
            }
            Object converted;
            try {
                // Read from the tree as it stands: convertValue would first copy it into a token buffer.
                converted = p.reader().readValue(value);
            } catch (IOException | IllegalArgumentException e) {
                throw DispatchFailure.badArguments(name + "() argument '" + p.name() + "' must be "
                        + p.type().toCanonical() + ": " + firstLine(e.getMessage()));
            }
            values[i++] = p.optional() ? Optional.ofNullable(converted) : converted;
        }
        if (args != null && args.size() > bound) {
            Set<String> unknown = new LinkedHashSet<>();
            args.fieldNames().forEachRemaining(unknown::add);
            params.forEach(p -> unknown.remove(p.name()));
            throw DispatchFailure.badArguments(name + "() got unexpected keyword argument(s) " + unknown);
        }
        try {
            return method.invoke(endpoint, values);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    @Override
    public String toString() {
        return Signature.describe(method);
    }
}
