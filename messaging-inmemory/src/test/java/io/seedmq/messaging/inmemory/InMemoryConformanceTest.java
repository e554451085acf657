package io.seedmq.messaging.inmemory;

import io.seedmq.messaging.ConnectionOptions;
import io.seedmq.messaging.conformance.TransportConformanceKit;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;

/**
 * The conformance kit on the embedded broker. Each test class instance gets its own named broker,
 * so cases never see each other's queues. The embedded broker is not durable, so the persistence
 * case is skipped ({@link #supportsPersistence()} stays false).
 */
@DisplayName("Conformance kit on memory://")
class InMemoryConformanceTest extends TransportConformanceKit {

    private final String broker = "kit-" + UUID.randomUUID();

    @Override
    protected ConnectionOptions connectionOptions() {
        return ConnectionOptions.fromUrl("memory://" + broker);
    }
}
