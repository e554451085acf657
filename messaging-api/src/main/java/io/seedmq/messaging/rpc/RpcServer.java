package io.seedmq.messaging.rpc;

import io.seedmq.messaging.Connection;
import io.seedmq.messaging.Lifecycle;
import io.seedmq.messaging.rpc.internal.DefaultRpcServer;
import io.seedmq.messaging.rpc.internal.InterfaceEndpoint;
import java.time.Duration;
import java.util.List;

/**
 * Serves RPC requests with plain Java objects, oslo.messaging's RPC server.
 *
 * <p>It listens on three queues, as oslo's rabbit driver: {@code <topic>} (shared by every server
 * of the topic), {@code <topic>.<server>} (requests for this server) and its own
 * {@code <topic>_fanout_<id>} (fanout casts), each declared as oslo declares it for the options of
 * {@link RpcServerOptions#topology()}. A request names a method; the first endpoint whose
 * namespace matches, whose version is compatible (same major, minor not above) and which has the
 * method runs it, with arguments bound by parameter name through Jackson into the declared types.
 * A leading {@link io.seedmq.messaging.oslo.Context} parameter receives the request context. A
 * method returning a {@link java.util.concurrent.CompletionStage} replies when it completes.
 *
 * <pre>{@code
 * public class Calculator {
 *     public int add(int x, int y) { return x + y; }
 *     public long fib(Context ctx, int n) { ... }
 * }
 * RpcServer server = RpcServer.create(connection, Target.topic("calc").withServer("server-1"),
 *         List.of(new Calculator()));
 * server.start();
 * }</pre>
 *
 * <p><b>Failures go back to the caller</b>, never kill the server: an endpoint's exception as an
 * oslo failure (class, Java package as module, message, stack trace lines), an unknown method as
 * oslo's {@code NoSuchMethod}, no compatible endpoint as {@code UnsupportedVersion}, missing or
 * ill-typed arguments as Python's {@code TypeError}. Undecodable requests are rejected without
 * requeue (dead-lettered where the queue has a dead-letter exchange).
 *
 * <p><b>Delivery.</b> By default a request is acknowledged when a worker takes it (at most once,
 * as oslo); {@link RequestAck#AFTER_DISPATCH} acknowledges after the reply (at least once).
 * Requests seen again (same {@code _unique_id}) are not run twice.
 *
 * <p><b>Life cycle and threads.</b> The one {@link Lifecycle} of seedmq's services: it starts once,
 * reports {@code RECOVERING} while its connection is restored, and stops within a bound. Endpoints
 * run on the server's executor, at most {@link RpcServerOptions#concurrency()} requests at once
 * (the server's own pool unless {@link RpcServerOptions.Builder#executor} or the connection names
 * one), so they must be thread-safe when that is above 1. Thread-safe.
 */
public interface RpcServer extends Lifecycle {

    /**
     * @param connection the connection to serve on; the server does not own it
     * @param target the topic and server name to listen on (both required), and the exchange
     * @param endpoints the objects whose methods are served, in dispatch order
     * @return the server, not yet started
     * @throws InvalidTargetException when the target lacks a topic or a server
     * @throws IllegalArgumentException when an endpoint cannot be served (an overloaded method
     *     name, parameter names unknown without {@code -parameters})
     */
    static RpcServer create(Connection connection, Target target, List<?> endpoints) {
        return create(connection, target, endpoints, RpcServerOptions.defaults());
    }

    /**
     * @param connection the connection to serve on; the server does not own it
     * @param target the topic and server name to listen on, and the exchange
     * @param endpoints the objects whose methods are served, in dispatch order
     * @param options concurrency, executor, acknowledgement, access policy, expected exceptions, stop bound
     * @return the server, not yet started
     */
    static RpcServer create(Connection connection, Target target, List<?> endpoints, RpcServerOptions options) {
        return new DefaultRpcServer(connection, target, endpoints, options);
    }

    /**
     * Serves an implementation of an RPC interface: only the interface's methods are callable, with
     * the names, parameters, namespace and version the interface states (the version is the highest
     * of its {@link RpcEndpoint} and its methods' {@link RpcMethod#version()}), as the proxy of
     * {@link RpcClient#proxy(Class)} sends them. Default methods are not served.
     *
     * <p>Every abstract method must be servable, or this throws naming each that is not: an
     * overloaded name, a name starting with {@code _}, a parameter without a known name, a context
     * that is not first, a type variable in a parameter or result, a version of another major, a
     * method without {@link RpcMethod} under {@link AccessPolicy#ANNOTATED}. In a named module, the
     * interface's package must be exported (or opened) to {@code io.seedmq.messaging}, which calls
     * its methods reflectively.
     *
     * @param connection the connection to serve on; the server does not own it
     * @param target the topic and server name to listen on, and the exchange
     * @param api the interface
     * @param implementation what runs the calls
     * @param options how the server runs
     * @param <T> the interface
     * @return the server, not yet started
     * @throws IllegalArgumentException when a method of the interface cannot be served
     * @throws InvalidTargetException when the target lacks a topic or a server
     */
    static <T> RpcServer create(Connection connection, Target target, Class<T> api, T implementation,
                                RpcServerOptions options) {
        return new DefaultRpcServer(connection, target, List.of(new InterfaceEndpoint(api, implementation)), options);
    }

    /**
     * Serves an implementation of an RPC interface with the default options (see
     * {@link #create(Connection, Target, Class, Object, RpcServerOptions)}).
     *
     * @param connection the connection to serve on; the server does not own it
     * @param target the topic and server name to listen on, and the exchange
     * @param api the interface
     * @param implementation what runs the calls
     * @param <T> the interface
     * @return the server, not yet started
     * @throws IllegalArgumentException when a method of the interface cannot be served
     */
    static <T> RpcServer create(Connection connection, Target target, Class<T> api, T implementation) {
        return create(connection, target, api, implementation, RpcServerOptions.defaults());
    }

    /**
     * Declares the exchanges and queues and starts consuming. Returns once the server listens:
     * a request sent after this returns is served. Does nothing while running.
     *
     * @throws IllegalStateException when the server was stopped or failed: make a new one
     */
    @Override
    void start();

    /**
     * Stops within {@link RpcServerOptions#stopTimeout()} (see {@link #stop(Duration)}).
     *
     * @return whether every running request finished in time
     */
    @Override
    default boolean stop() {
        return stop(options().stopTimeout());
    }

    /**
     * Stops taking requests and lets running ones finish within the bound. Requests received but
     * not yet started are given back to the broker (requeued) for another server. Idempotent.
     *
     * @param timeout the bound
     * @return whether every running request finished in time
     */
    @Override
    boolean stop(Duration timeout);

    /** @return what it listens for */
    Target target();

    /** @return how it runs */
    RpcServerOptions options();

    /** @return the queues it consumes, once started */
    List<String> queueNames();
}
