package io.seedmq.messaging.rpc;

import io.seedmq.messaging.Connection;
import io.seedmq.messaging.rpc.internal.DefaultRpcServer;
import java.time.Duration;
import java.util.List;

/**
 * Serves RPC requests with plain Java objects, oslo.messaging's RPC server.
 *
 * <p>It listens on three queues, as oslo's rabbit driver: {@code <topic>} (shared by every server
 * of the topic), {@code <topic>.<server>} (requests for this server) and its own
 * {@code <topic>_fanout_<uuid>} (fanout casts). A request names a method; the first endpoint whose
 * namespace matches, whose version is compatible (same major, minor not above) and which has the
 * method runs it, with arguments bound by parameter name through Jackson into the declared types.
 * A leading {@link io.seedmq.messaging.Context} parameter receives the request context. A
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
 * <p>Thread-safe. Endpoints run on the server's workers, so they must be thread-safe when
 * {@link RpcServerOptions#workers()} is above 1.
 */
public interface RpcServer extends AutoCloseable {

    /** A server's life cycle. */
    enum State {
        /** Created, not yet listening. */
        CREATED,
        /** Listening and serving. */
        RUNNING,
        /** No longer taking requests; running ones finish. */
        STOPPING,
        /** Stopped; it cannot be started again. */
        STOPPED
    }

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
     * @param options workers, acknowledgement, access policy, expected exceptions, stop bound
     * @return the server, not yet started
     */
    static RpcServer create(Connection connection, Target target, List<?> endpoints, RpcServerOptions options) {
        return new DefaultRpcServer(connection, target, endpoints, options);
    }

    /**
     * Declares the exchanges and queues and starts consuming. Returns once the server listens:
     * a request sent after this returns is served. Idempotent while running.
     *
     * @throws IllegalStateException when the server was stopped
     */
    void start();

    /**
     * Stops taking requests and lets running ones finish within {@link RpcServerOptions#stopTimeout()}.
     *
     * @return whether every running request finished in time
     */
    default boolean stop() {
        return stop(options().stopTimeout());
    }

    /**
     * Stops taking requests and lets running ones finish within the bound. Requests received but
     * not yet started are given back to the broker (requeued). Idempotent.
     *
     * @param timeout the bound
     * @return whether every running request finished in time
     */
    boolean stop(Duration timeout);

    /**
     * Waits until the server has stopped.
     *
     * @throws InterruptedException when interrupted while waiting
     */
    void await() throws InterruptedException;

    /**
     * Waits until the server has stopped, at most the timeout.
     *
     * @param timeout the bound
     * @return whether it stopped
     * @throws InterruptedException when interrupted while waiting
     */
    boolean await(Duration timeout) throws InterruptedException;

    /** @return where it is in its life cycle */
    State state();

    /** @return what it listens for */
    Target target();

    /** @return how it runs */
    RpcServerOptions options();

    /** @return the queues it consumes, once started */
    List<String> queueNames();

    /** Same as {@link #stop()}. */
    @Override
    default void close() {
        stop();
    }
}
