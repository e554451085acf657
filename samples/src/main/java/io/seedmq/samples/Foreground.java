package io.seedmq.samples;

import io.seedmq.messaging.Connection;
import io.seedmq.messaging.Lifecycle;
import io.seedmq.messaging.ShutdownHooks;
import java.time.Duration;
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

    /** How long in-flight handlers get on Ctrl+C. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private Foreground() {
    }

    /**
     * Starts a service (a worker, an RPC server, a listener) and waits until Ctrl+C stops it
     * through {@link ShutdownHooks}, which then closes the connection.
     *
     * @param connection the connection the service consumes on, closed at the end
     * @param service the service, not started
     * @param banner what to print once it runs
     * @return the process exit code: 0 when stopped, 1 when the service failed
     * @throws InterruptedException if the main thread is interrupted
     */
    static int runUntilCtrlC(Connection connection, Lifecycle service, String banner) throws InterruptedException {
        ShutdownHooks.stopOnExit(service, STOP_TIMEOUT, connection, () -> System.out.println(" bye bye"));
        service.start();
        System.out.println(banner);
        while (!service.awaitTermination(Duration.ofDays(1))) {
            // a service stops when asked to (Ctrl+C), or fails when its connection cannot be recovered
        }
        return service.state() == Lifecycle.State.FAILED ? 1 : 0;
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
