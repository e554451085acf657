package io.seedmq.messaging;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JVM shutdown hooks for services and samples: on SIGTERM, SIGINT (Ctrl+C) or {@code System.exit}
 * a worker stops gracefully (no new deliveries, in-flight handlers finish within the bound and ack,
 * prefetched messages go back to the queue) and the resources named close after it.
 *
 * <pre>{@code
 * Connection connection = Connection.open(url);
 * ConsumerWorker worker = ...;
 * ShutdownHooks.stopOnExit(worker, Duration.ofSeconds(10), connection);
 * worker.run();   // returns once the hook stopped it
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
     * Registers a shutdown hook that stops the worker, waiting at most {@code timeout} for its
     * in-flight handlers, then closes {@code thenClose} in order. The hook never throws.
     *
     * @param worker the worker to stop
     * @param timeout how long in-flight handlers may take to finish
     * @param thenClose closed after the worker stopped (typically its connection)
     * @return the hook thread, for {@link Runtime#removeShutdownHook(Thread)} if the application
     *     stops the worker itself first
     */
    public static Thread stopOnExit(ConsumerWorker worker, Duration timeout, AutoCloseable... thenClose) {
        Objects.requireNonNull(worker, "worker");
        Objects.requireNonNull(timeout, "timeout");
        List<AutoCloseable> closeables = List.of(thenClose);
        Thread hook = new Thread(() -> {
            LOG.info("shutting down: stopping {} (in-flight handlers get {})", worker, timeout);
            try {
                if (!worker.stop(timeout)) {
                    LOG.warn("{}: handlers still running after {}; their messages will be redelivered", worker, timeout);
                }
            } catch (RuntimeException e) {
                LOG.error("stopping {} failed", worker, e);
            }
            for (AutoCloseable c : closeables) {
                try {
                    c.close();
                } catch (Exception e) {
                    LOG.warn("closing {} on shutdown failed: {}", c, e.toString());
                }
            }
        }, "seedmq-shutdown-" + worker);
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }
}
