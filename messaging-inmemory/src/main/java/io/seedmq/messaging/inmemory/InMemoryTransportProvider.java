package io.seedmq.messaging.inmemory;

import io.seedmq.messaging.ConnectionOptions;
import io.seedmq.messaging.spi.TransportConnection;
import io.seedmq.messaging.spi.TransportProvider;
import java.util.Set;

/**
 * The transport for {@code memory://} URLs: {@code memory://} connects to the JVM's default
 * {@link InMemoryBroker}, {@code memory://name} to the broker of that name (created on first use).
 * Found through {@link java.util.ServiceLoader}; applications never name this class. Credentials,
 * virtual host and timeouts in the options are ignored: there is no network and no authentication.
 * Nothing is durable.
 */
public final class InMemoryTransportProvider implements TransportProvider {

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public InMemoryTransportProvider() {
    }

    /** @return {@code memory} */
    @Override
    public Set<String> schemes() {
        return Set.of("memory");
    }

    /**
     * @param options options whose {@link ConnectionOptions#brokerName()} selects the broker
     * @return a connection to that broker; never blocks
     */
    @Override
    public TransportConnection connect(ConnectionOptions options) {
        return InMemoryBroker.named(options.brokerName()).connect(options.operationTimeout());
    }
}
