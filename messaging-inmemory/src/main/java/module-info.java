/**
 * The embedded broker behind {@code memory://}. It provides the transport to
 * {@link java.util.ServiceLoader} and exports its package for {@code InMemoryBroker}, which tests
 * and single-process applications use to inspect, reset or delete a named broker; every other type
 * of the package is package-private.
 */
module io.seedmq.messaging.inmemory {
    // InMemoryBroker.connect() returns the SPI's TransportConnection.
    requires transitive io.seedmq.messaging;
    requires org.slf4j;

    exports io.seedmq.messaging.inmemory;

    provides io.seedmq.messaging.spi.TransportProvider with io.seedmq.messaging.inmemory.InMemoryTransportProvider;
}
