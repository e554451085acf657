package io.seedmq.messaging;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JVM shutdown hooks for services and samples: on SIGTERM, SIGINT (Ctrl+C) or {@code System.exit}
 * a service (a worker, a consumer, an RPC server, a notification listener: any {@link Lifecycle})
 * stops gracefully (no new deliveries, in-flight handlers finish within the bound and settle,
 * prefetched messages go back to the queue) and the resources named close after it.
 *
 * <pre>{@code
 * Connection connection = Connection.open(url);
 * RpcServer server = RpcServer.create(connection, target, List.of(new Calculator()));
 * ShutdownHooks.stopOnExit(server, Duration.ofSeconds(10), connection);
 * server.start();
 * server.awaitTermination(...);   // returns once the hook stopped it
 * }</pre>
 *
 * <p>A SIGKILL runs no hook: the broker then redelivers every unacknowledged message to another
 * consumer, flagged redelivered (at-least-once).
 */
public final class ShutdownHooks {

    private static final Logger LOG = LoggerFactory.getLogger(ShutdownHooks.class);

    private ShutdownHooks() {
    }

    /**
     * Registers a shutdown hook that stops the service, waiting at most {@code timeout} for its
     * in-flight handlers, then closes {@code thenClose} in order. The hook never throws.
     *
     * @param service the service to stop
     * @param timeout how long in-flight handlers may take to finish
     * @param thenClose closed after the service stopped (typically its connection)
     * @return the hook thread, for {@link Runtime#removeShutdownHook(Thread)} if the application
     *     stops the service itself first
     */
    public static Thread stopOnExit(Lifecycle service, Duration timeout, AutoCloseable... thenClose) {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(timeout, "timeout");
        List<AutoCloseable> closeables = List.of(thenClose);
        // The JVM runs hooks on threads it is handed, so this is the one thread seedmq makes itself.
        Thread hook = new Thread(() -> {
            LOG.info("shutting down: stopping {} (in-flight handlers get {})", service, timeout);
            try {
                if (!service.stop(timeout)) {
                    LOG.warn("{}: handlers still running after {}; their messages will be redelivered", service, timeout);
                }
            } catch (RuntimeException e) {
                LOG.error("stopping {} failed", service, e);
            }
            for (AutoCloseable c : closeables) {
                try {
                    c.close();
                } catch (Exception e) {
                    LOG.warn("closing {} on shutdown failed: {}", c, e.toString());
                }
            }
        }, "seedmq-shutdown-" + service);
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }
}
