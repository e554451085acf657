package io.seedmq.messaging.inmemory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seedmq.messaging.ConnectionOptions;
import io.seedmq.messaging.Queue;
import io.seedmq.messaging.conformance.DeclaredModule;
import io.seedmq.messaging.spi.TransportCapability;
import io.seedmq.messaging.spi.TransportConnection;
import io.seedmq.messaging.spi.TransportProvider;
import java.lang.module.ModuleDescriptor;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Provider and broker registry")
class ProviderTest {

    private static TransportProvider provider() {
        for (TransportProvider p : ServiceLoader.load(TransportProvider.class)) {
            if (p.schemes().contains("memory")) {
                return p;
            }
        }
        throw new AssertionError("no provider for memory:// registered");
    }

    @Test
    @DisplayName("memory:// is found through ServiceLoader and offers publisher confirms only")
    void serviceLoader() {
        TransportProvider p = provider();
        assertEquals(Set.of("memory"), p.schemes());
        try (TransportConnection c = p.connect(ConnectionOptions.fromUrl("memory://"))) {
            assertEquals(Set.of(TransportCapability.PUBLISHER_CONFIRMS), c.capabilities());
        }
    }

    @Test
    @DisplayName("on the module path it exports only the package of InMemoryBroker and provides the transport")
    void moduleDescriptor() {
        ModuleDescriptor module = DeclaredModule.of(InMemoryBroker.class, "io.seedmq.messaging.inmemory");
        assertEquals(Set.of("io.seedmq.messaging.inmemory"),
                module.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
        assertEquals(Set.of(), module.opens());
        ModuleDescriptor.Provides provides = module.provides().iterator().next();
        assertEquals(1, module.provides().size());
        assertEquals(TransportProvider.class.getName(), provides.service());
        assertEquals(List.of(InMemoryTransportProvider.class.getName()), provides.providers());
    }

    @Test
    @DisplayName("memory://name connects to a separate broker; memory:// connections share the default one")
    void namedBrokersAreIsolated() {
        String name = "iso-" + UUID.randomUUID();
        TransportProvider p = provider();
        try (TransportConnection named = p.connect(ConnectionOptions.fromUrl("memory://" + name));
             TransportConnection d1 = p.connect(ConnectionOptions.fromUrl("memory://"));
             TransportConnection d2 = p.connect(ConnectionOptions.fromUrl("memory://"))) {
            String q = "shared-" + UUID.randomUUID();
            d1.declareQueue(Queue.builder(q).build());
            d2.checkQueue(q);
            assertTrue(InMemoryBroker.defaultBroker().queueExists(q));
            assertFalse(InMemoryBroker.named(name).queueExists(q));
            d1.deleteQueue(q, false, false);
            named.declareQueue(Queue.named("only-here"));
        } finally {
            InMemoryBroker.named(name).delete();
        }
        assertFalse(InMemoryBroker.named(name).queueExists("only-here"), "a deleted broker comes back empty");
        InMemoryBroker.named(name).delete();
    }

    @Test
    @DisplayName("named brokers are singletons until deleted; the default broker cannot be deleted")
    void registry() {
        InMemoryBroker a = InMemoryBroker.named("reg");
        assertSame(a, InMemoryBroker.named("reg"));
        a.delete();
        InMemoryBroker b = InMemoryBroker.named("reg");
        assertNotSame(a, b);
        b.delete();
        assertSame(InMemoryBroker.defaultBroker(), InMemoryBroker.named(""));
        assertThrows(IllegalStateException.class, () -> InMemoryBroker.defaultBroker().delete());
    }

    @Test
    @DisplayName("reset drops connections and topology but keeps the amq.* exchanges")
    void reset() {
        InMemoryBroker broker = InMemoryBroker.named("reset-" + UUID.randomUUID());
        try {
            TransportConnection c = broker.connect();
            c.declareQueue(Queue.named("q"));
            broker.reset();
            assertFalse(c.isOpen());
            assertFalse(broker.queueExists("q"));
            assertTrue(broker.exchangeExists("amq.topic"));
            assertEquals(0, broker.connectionCount());
        } finally {
            broker.delete();
        }
    }
}
