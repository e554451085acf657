package io.seedmq.messaging.notify.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts the failed deliveries of each notification, by its {@code message_id}, so a listener can
 * give up after a bound. AMQP 0-9-1 only says whether a message was redelivered, not how often,
 * and a requeued message cannot carry a new header, so the count lives in the listener: exact for
 * one listener, at most (bound × listeners) deliveries when a pool shares the queue. The oldest
 * entries are forgotten beyond a capacity, so a long-lived listener does not grow without limit.
 * Thread-safe.
 */
final class RedeliveryCounter {

    private final Map<String, Integer> failures;

    RedeliveryCounter(int capacity) {
        this.failures = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
                return size() > capacity;
            }
        };
    }

    /**
     * @param key the notification's key
     * @return how many times it failed, this time included
     */
    synchronized int failed(String key) {
        return failures.merge(key, 1, Integer::sum);
    }

    /** @param key a notification that was handled or given up on */
    synchronized void forget(String key) {
        failures.remove(key);
    }
}
