package io.seedmq.messaging.test;

import io.seedmq.messaging.Connection;
import io.seedmq.messaging.oslo.Context;
import io.seedmq.messaging.rpc.RpcMethod;
import io.seedmq.messaging.rpc.RpcParam;
import io.seedmq.messaging.rpc.RpcServer;
import io.seedmq.messaging.rpc.Target;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A test double of an RPC service: serves an RPC interface on a target with stubbed answers and
 * records every call, so a test of the calling side needs neither the real service nor sleeps. It
 * is a real {@link RpcServer} (made with {@link RpcServer#create(Connection, Target, Class, Object)}),
 * so the client under test goes through the broker, the wire format and the dispatch as in
 * production, whether it calls through a proxy or by name.
 *
 * <pre>{@code
 * try (RpcDouble<Calculator> calc = RpcDouble.of(Calculator.class)
 *         .answer("add", call -> call.argument("x", Integer.class) + call.argument("y", Integer.class))
 *         .returns("fib", 55L)
 *         .serve(connection, Target.topic(names.of("calc")).withServer("double"))) {
 *     billing.run();                                              // the code under test calls calc
 *     RpcCall add = calc.awaitCall("add", Duration.ofSeconds(5));
 *     assertEquals(2, add.argument("y", Integer.class));
 * }
 * }</pre>
 *
 * <p>A method without an answer fails the call (the caller gets a {@code RemoteException} saying
 * so) and is recorded all the same. An answer may throw, to test the caller's handling of remote
 * failures. For a method returning {@code CompletableFuture<T>} an answer may return the {@code T}.
 * Thread-safe; answers run on the server's threads.
 *
 * @param <T> the RPC interface
 */
public final class RpcDouble<T> implements AutoCloseable {

    /** Computes a stubbed answer from the call. */
    @FunctionalInterface
    public interface Answer {
        /**
         * @param call the call
         * @return the result, sent back to the caller
         * @throws Exception sent back to the caller as a failure
         */
        Object answer(RpcCall call) throws Exception;
    }

    private final Class<T> api;
    private final Map<String, Method> methods = new LinkedHashMap<>();
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final Arrivals<RpcCall> calls = new Arrivals<>("calls", RpcCall::toString);
    private volatile RpcServer server;

    private RpcDouble(Class<T> api) {
        if (!api.isInterface()) {
            throw new IllegalArgumentException(api.getName() + " is not an interface");
        }
        this.api = api;
        for (Method m : api.getMethods()) {
            if (!m.isDefault() && !Modifier.isStatic(m.getModifiers())) {
                methods.put(rpcName(m), m);
            }
        }
    }

    /**
     * @param api the RPC interface the double serves
     * @param <T> the interface
     * @return a double with no answers yet, not serving
     */
    public static <T> RpcDouble<T> of(Class<T> api) {
        return new RpcDouble<>(Objects.requireNonNull(api, "api"));
    }

    /**
     * @param method the RPC name of one of the interface's methods
     * @param answer computes its result from each call
     * @return this double
     * @throws IllegalArgumentException when the interface has no such method
     */
    public RpcDouble<T> answer(String method, Answer answer) {
        if (!methods.containsKey(method)) {
            throw new IllegalArgumentException(api.getName() + " has no RPC method '" + method + "'; it has "
                    + methods.keySet());
        }
        answers.put(method, Objects.requireNonNull(answer, "answer"));
        return this;
    }

    /**
     * @param method the RPC name of one of the interface's methods
     * @param result what every call of it returns
     * @return this double
     */
    public RpcDouble<T> returns(String method, Object result) {
        return answer(method, call -> result);
    }

    /**
     * Serves the interface on the target and returns once it listens: a call sent afterwards is
     * answered. Stopped by {@link #close()}.
     *
     * @param connection the connection to serve on; the double does not own it
     * @param target the topic and server name to serve
     * @return this double
     * @throws IllegalStateException when it already serves
     */
    public RpcDouble<T> serve(Connection connection, Target target) {
        if (server != null) {
            throw new IllegalStateException("this double already serves " + server.target());
        }
        T implementation = api.cast(Proxy.newProxyInstance(api.getClassLoader(), new Class<?>[] {api}, this::invoke));
        RpcServer s = RpcServer.create(connection, target, api, implementation);
        s.start();
        server = s;
        return this;
    }

    /** @return the server, once serving */
    public RpcServer server() {
        if (server == null) {
            throw new IllegalStateException("not serving yet: call serve(connection, target)");
        }
        return server;
    }

    /** @return every call received so far, in order; a snapshot */
    public List<RpcCall> calls() {
        return calls.snapshot();
    }

    /**
     * @param method an RPC method name
     * @return the calls of that method received so far, in order
     */
    public List<RpcCall> calls(String method) {
        return calls.snapshot().stream().filter(c -> c.method().equals(method)).toList();
    }

    /**
     * @param method an RPC method name
     * @param timeout how long at most
     * @return the first call of that method (one received before counts too)
     * @throws AssertionError listing the calls received, when none of that method came in time
     */
    public RpcCall awaitCall(String method, Duration timeout) {
        return calls.awaitMatch(c -> c.method().equals(method), "method '" + method + "'", timeout);
    }

    /**
     * @param count how many calls, of any method
     * @param timeout how long at most
     * @return the calls received, at least {@code count}
     * @throws AssertionError listing the calls received, when fewer came in time
     */
    public List<RpcCall> awaitCalls(int count, Duration timeout) {
        return calls.awaitCount(count, timeout);
    }

    /** Stops serving, letting running answers finish; the calls stay readable. */
    @Override
    public void close() {
        RpcServer s = server;
        if (s != null) {
            s.stop(Duration.ofSeconds(5));
        }
    }

    private Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                default -> "RpcDouble of " + api.getName();
            };
        }
        String name = rpcName(method);
        Object[] values = args == null ? new Object[0] : args;
        Parameter[] params = method.getParameters();
        boolean takesContext = params.length > 0 && params[0].getType() == Context.class;
        Map<String, Object> arguments = new LinkedHashMap<>();
        for (int i = takesContext ? 1 : 0; i < params.length; i++) {
            RpcParam rename = params[i].getAnnotation(RpcParam.class);
            arguments.put(rename != null ? rename.value() : params[i].getName(), values[i]);
        }
        RpcCall call = new RpcCall(name, takesContext ? (Context) values[0] : Context.empty(), arguments);
        calls.add(call);
        Answer answer = answers.get(name);
        if (answer == null) {
            throw new UnsupportedOperationException("the RpcDouble of " + api.getSimpleName() + " has no answer for "
                    + name + ": stub one with answer(\"" + name + "\", ...)");
        }
        Object result = answer.answer(call);
        boolean async = method.getReturnType() == CompletableFuture.class || method.getReturnType() == CompletionStage.class;
        return async && !(result instanceof CompletionStage<?>) ? CompletableFuture.completedFuture(result) : result;
    }

    private static String rpcName(Method m) {
        RpcMethod annotation = m.getAnnotation(RpcMethod.class);
        return annotation != null && !annotation.value().isEmpty() ? annotation.value() : m.getName();
    }

    @Override
    public String toString() {
        return "RpcDouble[" + api.getName() + (server == null ? "" : ", " + server.target()) + "]";
    }
}
