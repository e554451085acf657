package io.seedmq.messaging.internal;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where seedmq's threads come from: the application's {@link ThreadFactory} when the connection
 * options name one, else daemon threads named after what they do. Every thread seedmq starts is
 * made here.
 */
public final class Threads {

    private Threads() {
    }

    /**
     * @param supplied the application's factory, or {@code null}
     * @param purpose what the threads do, in their names: {@code seedmq-<purpose>-<n>}
     * @return the application's factory as it is (its names are its own), or a factory of daemon
     *     threads named for the purpose
     */
    public static ThreadFactory factory(ThreadFactory supplied, String purpose) {
        if (supplied != null) {
            return supplied;
        }
        AtomicInteger count = new AtomicInteger();
        String prefix = "seedmq-" + purpose + "-";
        return runnable -> {
            Thread t = new Thread(runnable, prefix + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
