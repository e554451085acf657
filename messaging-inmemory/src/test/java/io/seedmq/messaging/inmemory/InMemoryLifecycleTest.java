package io.seedmq.messaging.inmemory;

import io.seedmq.messaging.ConnectionOptions;
import io.seedmq.messaging.conformance.LifecycleKit;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;

/** The life-cycle kit on the embedded broker, a fresh named broker per test class instance. */
@DisplayName("Life-cycle kit on the in-memory broker (memory://)")
class InMemoryLifecycleTest extends LifecycleKit {

    private final String broker = "life-" + UUID.randomUUID();

    @Override
    protected ConnectionOptions connectionOptions() {
        return ConnectionOptions.fromUrl("memory://" + broker);
    }
}
