package io.seedmq.samples;

import io.seedmq.messaging.Connection;
import io.seedmq.messaging.ConsumerWorker;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a receiver or server of a role mode in the foreground until Ctrl+C, as the seeds'
 * {@code start_consuming()} and kombu's {@code worker.run()} do. A JVM shutdown hook stops it
 * gracefully (in-flight handlers finish, prefetched messages return to the queue) and then
 * closes the connection.
 */
final class Foreground {

    /** One step of a polling loop, such as one {@code SimpleQueue.get} with a timeout. */
    @FunctionalInterface
    interface Step {
        /** @throws Exception to end the loop */
        void run() throws Exception;
    }

    private Foreground() {
    }

    /**
     * @param connection the connection the worker consumes on, closed at the end
     * @param worker the worker, not started
     * @param banner what to print once it consumes
     * @throws InterruptedException if the main thread is interrupted
     */
    static void runUntilCtrlC(Connection connection, ConsumerWorker worker, String banner) throws InterruptedException {
        Thread running = worker.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            worker.stop();
            connection.close();
            System.out.println(" bye bye");
        }, "seedmq-samples-shutdown"));
        System.out.println(banner);
        running.join();
    }

    /**
     * Repeats a bounded step until Ctrl+C; the shutdown hook lets the current step finish.
     *
     * @param connection closed at the end
     * @param banner what to print first
     * @param step a step that returns within a few seconds
     * @throws Exception what a step threw
     */
    static void loopUntilCtrlC(Connection connection, String banner, Step step) throws Exception {
        AtomicBoolean stopping = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            try {
                done.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            connection.close();
            System.out.println(" bye bye");
        }, "seedmq-samples-shutdown"));
        System.out.println(banner);
        try {
            while (!stopping.get()) {
                step.run();
            }
        } finally {
            done.countDown();
        }
    }
}
