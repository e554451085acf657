package io.seedmq.messaging.inmemory;

import io.seedmq.messaging.ConnectionOptions;
import io.seedmq.messaging.conformance.ReliabilityKit;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;

/** The reliability kit on the embedded broker, a fresh named broker per test class instance. */
@DisplayName("Reliability kit on the in-memory broker (memory://)")
class InMemoryReliabilityTest extends ReliabilityKit {

    private final String broker = "rel-" + UUID.randomUUID();

    @Override
    protected ConnectionOptions connectionOptions() {
        return ConnectionOptions.fromUrl("memory://" + broker);
    }
}
