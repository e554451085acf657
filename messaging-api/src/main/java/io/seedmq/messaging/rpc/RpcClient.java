package io.seedmq.messaging.rpc;

import com.fasterxml.jackson.core.type.TypeReference;
import io.seedmq.messaging.Connection;
import io.seedmq.messaging.oslo.Context;
import io.seedmq.messaging.rpc.internal.DefaultRpcClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Calls and casts to RPC servers, oslo.messaging's {@code RPCClient}: a request names a method
 * and its arguments by name; a call waits for the result, a cast does not. Through
 * {@link #proxy(Class)} a Java interface states the methods, and calls become method calls.
 *
 * <pre>{@code
 * @RpcEndpoint(version = "1.0")
 * public interface Calculator {
 *     int add(int x, int y);                                   // a call, its result decoded into int
 *     CompletableFuture<Long> fib(Context ctx, int n);         // an asynchronous call, with a context
 *     @RpcCast void reset(Context ctx);                        // a cast
 * }
 * Calculator calc = RpcClient.create(connection, Target.topic("calc")).proxy(Calculator.class);
 * int sum = calc.add(1, 2);
 *
 * RpcClient calc = RpcClient.create(connection, Target.topic("calc"));    // the same, by name
 * int sum = calc.call(Context.empty(), "add", Map.of("x", 1, "y", 2), Integer.class);
 * calc.prepare().server("server-1").timeout(Duration.ofSeconds(5)).build().cast(ctx, "reset");
 * CompletableFuture<Long> fib = calc.callAsync(ctx, "fib", Map.of("n", 30), Long.class);
 * }</pre>
 *
 * <p><b>Threading.</b> A client is immutable and thread-safe; many threads may call at once and
 * their calls are pipelined over the connection. All clients of a connection with the same
 * {@linkplain RpcClientOptions#topology() topology} share one reply queue ({@code reply_<id>}),
 * created by the first call and deleted by the broker 30 minutes (oslo's
 * {@code rabbit_transient_queues_ttl}) after the connection is gone. Futures complete on the thread that receives replies: chain blocking work
 * with the {@code *Async} methods of {@link CompletableFuture}.
 *
 * <p><b>Failures.</b> A call raises {@link RpcTimeoutException} when no reply comes in time (never
 * returns {@code null} for a missing reply), {@link RemoteException} (or its subclasses
 * {@link NoSuchRpcMethodException}, {@link UnsupportedVersionException}) when the server's endpoint
 * failed, {@link VersionCapException} or {@link InvalidTargetException} before sending, and the
 * connection's exceptions when the request could not be sent. Sending is retried by the options'
 * {@link RpcClientOptions#retry() retry policy} while the broker has not confirmed the request
 * (a server does not run a resent copy twice). A server acks a request on receipt (at most once),
 * so a call that timed out may still have run.
 */
public interface RpcClient {

    /** The method oslo.messaging servers answer with {@code "pong"} when {@code rpc_ping_enabled} is on. */
    String PING_METHOD = "oslo_rpc_server_ping";

    /**
     * @param connection the connection to send on; the client does not own it
     * @param target where requests go (a topic, at least, to send)
     * @return a client with the default options
     */
    static RpcClient create(Connection connection, Target target) {
        return create(connection, target, RpcClientOptions.defaults());
    }

    /**
     * @param connection the connection to send on; the client does not own it
     * @param target where requests go
     * @param options timeout, version cap, exchange, mandatory publishing
     * @return the client
     */
    static RpcClient create(Connection connection, Target target, RpcClientOptions options) {
        return new DefaultRpcClient(connection, target, options);
    }

    /** @return where requests go */
    Target target();

    /** @return how requests are sent */
    RpcClientOptions options();

    /**
     * Calls a method and waits for its result.
     *
     * @param context the request context, sent as {@code _context_*} fields
     * @param method the method's name
     * @param args the arguments by name, as JSON values or objects Jackson can write
     * @param resultType the result's type ({@code Void.class} to ignore it)
     * @param <T> the result's type
     * @return the result, {@code null} when the method returned nothing
     * @throws RpcTimeoutException when no reply came within the timeout
     * @throws RemoteException when the endpoint failed
     */
    <T> T call(Context context, String method, Map<String, ?> args, Class<T> resultType);

    /**
     * Calls a method and waits for its result, of a generic type.
     *
     * @param context the request context
     * @param method the method's name
     * @param args the arguments by name
     * @param resultType the result's type, e.g. {@code new TypeReference<List<String>>() {}}
     * @param <T> the result's type
     * @return the result
     * @throws RpcTimeoutException when no reply came within the timeout
     * @throws RemoteException when the endpoint failed
     */
    <T> T call(Context context, String method, Map<String, ?> args, TypeReference<T> resultType);

    /**
     * Calls a method without blocking. The request is published before this returns a future (or
     * the future fails at once when it cannot be).
     *
     * @param context the request context
     * @param method the method's name
     * @param args the arguments by name
     * @param resultType the result's type
     * @param <T> the result's type
     * @return the result to come; fails with the exceptions {@link #call} throws
     */
    <T> CompletableFuture<T> callAsync(Context context, String method, Map<String, ?> args, Class<T> resultType);

    /**
     * Calls a method without blocking, for a result of a generic type.
     *
     * @param context the request context
     * @param method the method's name
     * @param args the arguments by name
     * @param resultType the result's type
     * @param <T> the result's type
     * @return the result to come
     */
    <T> CompletableFuture<T> callAsync(Context context, String method, Map<String, ?> args, TypeReference<T> resultType);

    /**
     * Sends a request without waiting for a result: to one server of the topic, to the target's
     * server, or, on a fanout target, to every server of the topic. Returns once the broker took
     * the request (confirmed, where the transport confirms).
     *
     * @param context the request context
     * @param method the method's name
     * @param args the arguments by name
     */
    void cast(Context context, String method, Map<String, ?> args);

    /**
     * Casts a method that takes no arguments.
     *
     * @param context the request context
     * @param method the method's name
     */
    default void cast(Context context, String method) {
        cast(context, method, Map.of());
    }

    /**
     * oslo's RPC health probe: calls {@value #PING_METHOD} on the target, as a readiness check of a
     * server does. A server answers it only with the option on ({@code rpc_ping_enabled} in
     * oslo.messaging, {@link RpcServerOptions.Builder#rpcPingEnabled} in seedmq).
     *
     * @return the answer, {@code "pong"}
     * @throws RpcTimeoutException when no server answered within the client's timeout
     * @throws NoSuchRpcMethodException when the server does not have pings enabled
     */
    default String ping() {
        return call(Context.empty(), PING_METHOD, Map.of(), String.class);
    }

    /**
     * Makes a Java interface a client of this one's target: each abstract method of the interface is
     * an RPC method, sent with this client's connection, target and options.
     *
     * <ul>
     *   <li>The RPC name is the method's, or {@link RpcMethod#value()}; each parameter after an optional
     *       leading {@link Context} is an argument named by the parameter (compile with
     *       {@code -parameters}) or by {@link RpcParam}. An empty {@code Optional} argument is left out.
     *   <li>A method returning {@code T} is a call whose result is decoded into {@code T}, generics
     *       included ({@code void}: the call completes with no value); returning
     *       {@code CompletableFuture<T>} or {@code CompletionStage<T>}, an asynchronous call; marked
     *       {@link RpcCast}, a cast (it must return {@code void}).
     *   <li>Namespace and version come from the interface's {@link RpcEndpoint} (else this client's
     *       target); {@link RpcMethod#version()} raises a method's version, which must pass
     *       {@link #canSendVersion(String)} against the version cap: otherwise the method throws
     *       {@link VersionCapException} and sends nothing (oslo's rolling upgrade).
     *   <li>{@link RpcTimeout} on the method or the interface replaces the client's timeout.
     *   <li>Failures are those of {@link #call}: {@link RpcTimeoutException}, {@link RemoteException} and
     *       its subclasses, the connection's exceptions, unchecked and thrown as they are.
     *   <li>Default methods run locally, in the caller; {@code equals}, {@code hashCode} and
     *       {@code toString} are the proxy's own (identity, and a description of interface and target).
     * </ul>
     *
     * <p>Two methods may send one RPC name at two versions (a later one raised with
     * {@link RpcMethod#version()}, the earlier one the fallback when {@link #canSendVersion(String)}
     * says no). The interface is checked here: a parameter without a known name, a context that is
     * not first, a type variable in a parameter or result, a version of another major, a cast
     * returning a value, are an {@link IllegalArgumentException} naming each method.
     * The proxy is thread-safe and cheap to call; make it once. In a named module, the interface must
     * be public (the proxy class lives in a dynamic module that reads the interface's module); no
     * package needs opening for the client side.
     *
     * @param api a public interface
     * @param <T> the interface
     * @return a proxy implementing it
     * @throws IllegalArgumentException when the interface cannot be served by RPC
     */
    <T> T proxy(Class<T> api);

    /**
     * oslo's {@code can_send_version}: whether the version cap allows sending this version.
     *
     * @param version a version, {@code major.minor}
     * @return whether there is no cap or the version is compatible with it
     */
    boolean canSendVersion(String version);

    /** @return whether the cap allows this client's own target version ({@code 1.0} when unset) */
    default boolean canSendVersion() {
        return canSendVersion(target().version() == null ? "1.0" : target().version());
    }

    /**
     * @return a builder for a copy of this client with some of its target or options changed; the
     *     copy shares this client's connection and reply queue
     */
    Builder prepare();

    /** Changes a copy of a client, as oslo's {@code prepare()}. Not thread-safe. */
    interface Builder {
        /**
         * @param exchange the exchange, or {@code null} for the control exchange
         * @return this builder
         */
        Builder exchange(String exchange);

        /**
         * @param topic the topic
         * @return this builder
         */
        Builder topic(String topic);

        /**
         * @param server one server of the topic, or {@code null} for any
         * @return this builder
         */
        Builder server(String server);

        /**
         * @param namespace the namespace, or {@code null}
         * @return this builder
         */
        Builder namespace(String namespace);

        /**
         * @param version the version to send, or {@code null}
         * @return this builder
         */
        Builder version(String version);

        /**
         * @param fanout whether casts go to every server of the topic
         * @return this builder
         */
        Builder fanout(boolean fanout);

        /**
         * @param timeout how long calls wait for their reply
         * @return this builder
         */
        Builder timeout(Duration timeout);

        /**
         * @param versionCap the highest version to send, or {@code null}
         * @return this builder
         */
        Builder versionCap(String versionCap);

        /**
         * @param retry how sending is retried ({@code OsloRetry.of(n)} for oslo's
         *     {@code retry=n}), or {@code null} for the connection's policy
         * @return this builder
         */
        Builder retry(io.seedmq.messaging.retry.RetryPolicy retry);

        /** @return the changed copy */
        RpcClient build();
    }
}
