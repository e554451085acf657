package io.seedmq.benchmarks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The in-memory RPC reference: a request handed to a server thread through a
 * {@link LinkedBlockingQueue}, answered by completing the caller's future; no encoding at all.
 */
final class QueuePairCaller implements Caller {

    private record Request(int x, int y, CompletableFuture<Integer> reply) {
    }

    private final LinkedBlockingQueue<Request> requests = new LinkedBlockingQueue<>();
    private final Thread server;

    QueuePairCaller() {
        Adder adder = new Adder();
        server = new Thread(() -> {
            try {
                while (true) {
                    Request r = requests.take();
                    r.reply().complete(adder.add(r.x(), r.y()));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "seedmq-benchmarks-queue-server");
        server.setDaemon(true);
        server.start();
    }

    @Override
    public CompletableFuture<Integer> add(int x, int y) {
        CompletableFuture<Integer> reply = new CompletableFuture<>();
        requests.add(new Request(x, y, reply));
        return reply;
    }

    @Override
    public void close() throws InterruptedException {
        server.interrupt();
        server.join();
    }
}
