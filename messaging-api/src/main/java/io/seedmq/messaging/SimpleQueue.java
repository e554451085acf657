package io.seedmq.messaging;

import java.time.Duration;

/**
 * kombu's SimpleQueue: a queue used like a local {@link java.util.concurrent.BlockingQueue}. A
 * durable direct exchange and a durable queue, both named after the queue, bound with the same
 * routing key; messages persistent. The {@link Connection#simpleBuffer SimpleBuffer} variant is
 * transient (non-durable exchange and queue, transient messages) and acknowledges on get; its
 * queue is deleted after 30 minutes unused rather than auto-delete, because on AMQP a get subscribes
 * only for as long as it waits and auto-delete would drop the queue after the first get.
 *
 * <pre>{@code
 * SimpleQueue q = connection.simpleQueue("hello");
 * q.put("Hello World!");
 * Message m = q.get(Duration.ofSeconds(1));
 * System.out.println(m.payload(String.class));
 * m.ack();
 * }</pre>
 *
 * Thread-safe. {@code get} never holds more than the message it returns: nothing is buffered
 * client-side, so several processes can share one queue fairly.
 */
public interface SimpleQueue extends AutoCloseable {

    /** @return the queue name */
    String name();

    /**
     * Publishes a payload to the queue and waits for the broker to take it.
     *
     * @param payload the payload
     */
    void put(Object payload);

    /**
     * @param payload the payload
     * @param options headers, priority, serializer, expiration...; exchange and routing key are the queue's
     */
    void put(Object payload, Publish options);

    /**
     * Waits for the next message.
     *
     * @param timeout how long to wait at most
     * @return the message, to be settled by the caller (already acknowledged for a SimpleBuffer)
     * @throws EmptyQueueException if none came within the timeout
     */
    Message get(Duration timeout);

    /**
     * @return the next message if one is ready
     * @throws EmptyQueueException if the queue is empty
     */
    Message getNowait();

    /** @return how many ready messages were removed (kombu's clear, a queue purge) */
    long clear();

    /** @return how many messages are ready in the queue (delivered, unacknowledged ones not counted) */
    long size();

    /** Releases this handle; the queue and its messages stay on the broker. Idempotent. */
    @Override
    void close();
}
