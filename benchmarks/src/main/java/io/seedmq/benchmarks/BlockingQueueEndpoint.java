package io.seedmq.benchmarks;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * The in-memory reference: a {@link LinkedBlockingQueue} handing bodies from the publishing thread
 * to one consuming thread, the least any in-process queue between two threads can do.
 */
final class BlockingQueueEndpoint implements Endpoint {

    private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
    private Thread consumer;

    @Override
    public void consume(Consumer<byte[]> onMessage) {
        consumer = new Thread(() -> {
            try {
                while (true) {
                    onMessage.accept(queue.take());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "seedmq-benchmarks-queue-consumer");
        consumer.setDaemon(true);
        consumer.start();
    }

    @Override
    public void publish(byte[] body, Runnable confirmed) {
        queue.add(body);
        confirmed.run();
    }

    @Override
    public void close() throws InterruptedException {
        consumer.interrupt();
        consumer.join();
    }
}
