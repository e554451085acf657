package io.seedmq.messaging.amqp;

import io.seedmq.messaging.Connection;
import io.seedmq.messaging.ConsumerOptions;
import io.seedmq.messaging.ConsumerWorker;
import io.seedmq.messaging.ShutdownHooks;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A worker process for {@link AmqpProcessFailureTest}, started in a child JVM. It reads the broker
 * URL from {@code SEEDMQ_CHILD_URL} (never from the command line, where {@code ps} shows it) and
 * reports on stdout, one line per event.
 *
 * <ul>
 *   <li>{@code hang QUEUE ACKED PREFETCH}: acks the first ACKED messages, then hangs in the handler
 *       (the parent kills it with SIGKILL); prints {@code seen N} for every message it gets.</li>
 *   <li>{@code graceful QUEUE WORK_MS}: each handler works WORK_MS then acks; prints
 *       {@code started N} and {@code acked N}; a shutdown hook stops the worker on SIGTERM.</li>
 * </ul>
 */
public final class ChildWorker {

    private ChildWorker() {
    }

    /** @param args see the class comment */
    public static void main(String[] args) throws Exception {
        String mode = args[0];
        String queue = args[1];
        Connection conn = Connection.open(System.getenv("SEEDMQ_CHILD_URL"));
        ConsumerWorker worker;
        if (mode.equals("hang")) {
            int acked = Integer.parseInt(args[2]);
            int prefetch = Integer.parseInt(args[3]);
            CountDownLatch never = new CountDownLatch(1);
            worker = ConsumerWorker.builder(conn)
                    .consume(ConsumerOptions.builder().queue(queue).prefetch(prefetch).build(), m -> {
                        int n = Integer.parseInt(m.payload(String.class));
                        if (n < acked) {
                            m.ack();
                        }
                        System.out.println("seen " + n);
                        System.out.flush();
                        if (n >= acked) {
                            never.await();
                        }
                    }).build();
        } else {
            long workMillis = Long.parseLong(args[2]);
            worker = ConsumerWorker.builder(conn)
                    .consume(ConsumerOptions.builder().queue(queue).prefetch(1).build(), m -> {
                        String n = m.payload(String.class);
                        System.out.println("started " + n);
                        System.out.flush();
                        // Simulated work: the handler the shutdown must let finish.
                        TimeUnit.MILLISECONDS.sleep(workMillis);
                        m.ack();
                        System.out.println("acked " + n);
                        System.out.flush();
                    }).build();
            ShutdownHooks.stopOnExit(worker, Duration.ofSeconds(10), conn);
        }
        worker.run();
        System.out.println("stopped");
        System.out.flush();
    }
}
