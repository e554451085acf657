package io.seedmq.messaging;

/**
 * A snapshot of a connection's window of unconfirmed asynchronous publishes (see
 * {@link ConnectionOptions#maxUnconfirmedPublishes()}): how much room it has, how much is taken,
 * and how many callers of {@link Producer#publishAsync} wait for room.
 *
 * @param capacity the most publishes awaiting their confirm at once
 * @param unconfirmed publishes awaiting their confirm now (their retries included)
 * @param waiting callers waiting for room now
 */
public record PublishWindow(int capacity, int unconfirmed, int waiting) {
}
