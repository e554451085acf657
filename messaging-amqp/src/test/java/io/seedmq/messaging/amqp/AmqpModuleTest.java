package io.seedmq.messaging.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.seedmq.messaging.conformance.DeclaredModule;
import java.lang.module.ModuleDescriptor;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The module io.seedmq.messaging.amqp")
class AmqpModuleTest {

    @Test
    @DisplayName("exports nothing, opens nothing, and provides the transport to ServiceLoader")
    void providesTransportOnly() {
        ModuleDescriptor module = DeclaredModule.of(AmqpTransportProvider.class, "io.seedmq.messaging.amqp");
        assertEquals(Set.of(), module.exports());
        assertEquals(Set.of(), module.opens());
        assertEquals(Set.of("io.seedmq.messaging.spi.TransportProvider"),
                module.provides().stream().map(ModuleDescriptor.Provides::service).collect(Collectors.toSet()));
        assertEquals(List.of(AmqpTransportProvider.class.getName()), module.provides().iterator().next().providers());
    }
}
