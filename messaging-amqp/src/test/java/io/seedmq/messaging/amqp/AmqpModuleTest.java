package io.seedmq.messaging.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The module io.seedmq.messaging.amqp")
class AmqpModuleTest {

    @Test
    @DisplayName("exports nothing, opens nothing, and provides the transport to ServiceLoader")
    void providesTransportOnly() throws Exception {
        Path classes = Path.of(AmqpTransportProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ModuleDescriptor module = ModuleFinder.of(classes).find("io.seedmq.messaging.amqp")
                .map(ModuleReference::descriptor).orElseThrow(() -> new AssertionError(classes + " has no module-info"));
        assertEquals(Set.of(), module.exports());
        assertEquals(Set.of(), module.opens());
        assertEquals(Set.of("io.seedmq.messaging.spi.TransportProvider"),
                module.provides().stream().map(ModuleDescriptor.Provides::service).collect(Collectors.toSet()));
        assertEquals(List.of(AmqpTransportProvider.class.getName()), module.provides().iterator().next().providers());
    }
}
