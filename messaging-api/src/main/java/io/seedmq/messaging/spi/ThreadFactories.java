package io.seedmq.messaging.spi;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where seedmq's threads come from, for the API and the transports alike: the application's
 * {@link ThreadFactory} when the connection options name one
 * ({@link io.seedmq.messaging.ConnectionOptions#threadFactory()}), else daemon threads named after
 * what they do. Daemon, because the application owns the life cycle through its connection: a
 * forgotten connection must not keep the JVM from exiting.
 */
public final class ThreadFactories {

    private ThreadFactories() {
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
