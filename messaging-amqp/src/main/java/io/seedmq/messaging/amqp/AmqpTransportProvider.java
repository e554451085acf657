package io.seedmq.messaging.amqp;

import io.seedmq.messaging.ConnectionOptions;
import io.seedmq.messaging.UnsupportedSchemeException;
import io.seedmq.messaging.spi.TransportConnection;
import io.seedmq.messaging.spi.TransportProvider;
import java.util.Set;

/**
 * The AMQP 0-9-1 transport, on the RabbitMQ Java client, for {@code amqp://}, {@code amqps://} and
 * {@code rabbit://} (oslo.messaging's spelling of {@code amqp://}) URLs. Found by
 * {@link java.util.ServiceLoader}; applications never name it.
 *
 * <p>Each connection it opens uses two AMQP connections to the broker, named after
 * {@link ConnectionOptions#connectionName()} ({@code seedmq} unless set) with the suffixes
 * {@code (publish)} and {@code (consume)}, so a broker blocking publishers during a resource alarm
 * never stalls consumers. Publishes are confirmed by the broker; lost connections are recovered by
 * the client with their exchanges, queues, bindings and consumers when
 * {@link ConnectionOptions#automaticRecovery()} is on. Query parameter {@code publisher_channels}
 * sets how many channels publish concurrently (up to 4 by default).
 *
 * <p>Thread-safe and stateless: every {@link #connect} is independent.
 */
public final class AmqpTransportProvider implements TransportProvider {

    private static final Set<String> SCHEMES = Set.of("amqp", "amqps", "rabbit");

    /** For {@link java.util.ServiceLoader}. */
    public AmqpTransportProvider() {
    }

    /** @return {@code amqp}, {@code amqps} and {@code rabbit} */
    @Override
    public Set<String> schemes() {
        return SCHEMES;
    }

    /**
     * Opens both AMQP connections, trying the hosts in the order the options say, each attempt
     * bounded by the connection timeout (TCP connect and AMQP handshake alike). The first connection
     * attempt is not retried: automatic recovery applies to connections that were once open.
     *
     * @param options options whose scheme is {@code amqp}, {@code amqps} or {@code rabbit}
     * @return an open connection
     * @throws io.seedmq.messaging.AuthenticationException when the broker refuses the credentials or the virtual host
     * @throws io.seedmq.messaging.ConnectionException when no host could be reached, or TLS could not be set up
     */
    @Override
    public TransportConnection connect(ConnectionOptions options) {
        if (!SCHEMES.contains(options.scheme())) {
            throw new UnsupportedSchemeException("the AMQP transport does not handle " + options.scheme() + "://");
        }
        return AmqpTransportConnection.open(options);
    }
}
