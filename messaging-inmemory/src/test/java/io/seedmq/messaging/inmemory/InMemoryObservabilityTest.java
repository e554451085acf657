package io.seedmq.messaging.inmemory;

import io.seedmq.messaging.ConnectionOptions;
import io.seedmq.messaging.observation.ObservabilityKit;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;

/** The observability kit on the embedded broker, one broker per test instance. */
@DisplayName("Observability kit on memory://")
class InMemoryObservabilityTest extends ObservabilityKit {

    private final String broker = "obs-" + UUID.randomUUID();

    @Override
    protected ConnectionOptions connectionOptions() {
        return ConnectionOptions.fromUrl("memory://" + broker);
    }

    /** The embedded broker drops every connection it has: the case's broker is its own. */
    @Override
    protected void loseConnection(String connectionName) {
        InMemoryBroker.named(broker).disconnectAll();
    }
}
