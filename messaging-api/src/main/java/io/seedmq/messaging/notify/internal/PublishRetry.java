package io.seedmq.messaging.notify.internal;

/**
 * The seam where a retry policy wraps each notification publish. oslo's {@code retry} (-1 forever,
 * 0 none, N) is handed over as configured; {@link #ONCE} publishes once and lets a failure
 * through, whatever it says. A resilience4j-backed policy replaces it without touching the drivers.
 */
@FunctionalInterface
public interface PublishRetry {

    /** Publishes once: the publish waits for the broker's confirm, and a failure is the caller's. */
    PublishRetry ONCE = (retry, publish) -> publish.run();

    /**
     * @param retry oslo's retry setting for this notifier
     * @param publish one attempt; throws a {@link io.seedmq.messaging.MessagingException} on failure
     */
    void publish(int retry, Runnable publish);
}
