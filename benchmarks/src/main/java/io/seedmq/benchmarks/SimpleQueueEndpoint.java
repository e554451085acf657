package io.seedmq.benchmarks;

import io.seedmq.messaging.Connection;
import io.seedmq.messaging.EmptyQueueException;
import io.seedmq.messaging.Message;
import io.seedmq.messaging.SimpleQueue;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * kombu's {@link SimpleQueue} used as a blocking queue between two threads: {@code put} on the
 * publishing thread, {@code get} and {@code ack} on a consuming thread.
 */
final class SimpleQueueEndpoint implements Endpoint {

    private static final Duration POLL = Duration.ofMillis(100);

    private final Connection connection;
    private final SimpleQueue queue;
    private volatile boolean closed;
    private Thread consumer;

    SimpleQueueEndpoint(String url, String queue) {
        this.connection = Connection.open(url);
        this.queue = connection.simpleQueue(queue);
    }

    @Override
    public void consume(Consumer<byte[]> onMessage) {
        consumer = new Thread(() -> {
            while (!closed) {
                try {
                    Message m = queue.get(POLL);
                    onMessage.accept(m.body());
                    m.ack();
                } catch (EmptyQueueException e) {
                    // nothing yet; look again unless closed
                }
            }
        }, "seedmq-benchmarks-simplequeue-consumer");
        consumer.setDaemon(true);
        consumer.start();
    }

    @Override
    public void publish(byte[] body, Runnable confirmed) {
        queue.put(body);
        confirmed.run();
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        consumer.join();
        try {
            connection.deleteQueue(queue.name());
            connection.deleteExchange(queue.name(), false);
        } finally {
            connection.close();
        }
    }
}
