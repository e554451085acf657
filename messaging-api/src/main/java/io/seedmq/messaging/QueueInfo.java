package io.seedmq.messaging;

/**
 * What the broker reports about a queue when it is declared or inspected.
 *
 * @param name the queue's name (the server-chosen {@code amq.gen-...} name for a server-named queue)
 * @param messageCount messages ready for delivery (not counting delivered, unacknowledged ones)
 * @param consumerCount consumers subscribed to it
 */
public record QueueInfo(String name, long messageCount, int consumerCount) {
}
