package io.seedmq.messaging.spi;

import io.seedmq.messaging.ConnectionOptions;
import java.util.Set;

/**
 * Makes transport connections for a set of URL schemes. Registered in
 * {@code META-INF/services/io.seedmq.messaging.spi.TransportProvider}; must have a public
 * no-argument constructor and be thread-safe.
 */
public interface TransportProvider {

    /** @return the URL schemes this provider handles, lower case (for example {@code amqp}, {@code amqps}, {@code rabbit}) */
    Set<String> schemes();

    /**
     * Opens a connection to the broker the options describe. Blocks at most
     * {@link ConnectionOptions#connectionTimeout()} per endpoint tried.
     *
     * @param options connection options whose scheme is one of {@link #schemes()}
     * @return an open connection
     * @throws io.seedmq.messaging.AuthenticationException when the broker refuses the credentials (not retried)
     * @throws io.seedmq.messaging.ConnectionException when no endpoint could be reached
     */
    TransportConnection connect(ConnectionOptions options);
}
