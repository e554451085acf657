package io.seedmq.messaging.inmemory;

import io.seedmq.messaging.ConnectionOptions;
import io.seedmq.messaging.conformance.MemoryAlarmKit;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;

/** The memory-alarm kit on the embedded broker: its memory limit lowered below what it holds, then restored. */
@DisplayName("Memory alarm on the in-memory broker (its memory limit)")
class InMemoryMemoryAlarmTest extends MemoryAlarmKit {

    private final String name = "alarm-" + UUID.randomUUID();
    private long usualLimit;

    @Override
    protected ConnectionOptions connectionOptions() {
        return ConnectionOptions.fromUrl("memory://" + name);
    }

    @Override
    protected void raiseMemoryAlarm() {
        InMemoryBroker broker = InMemoryBroker.named(name);
        usualLimit = broker.memoryLimit();
        broker.memoryLimit(1);
    }

    @Override
    protected void clearMemoryAlarm() {
        InMemoryBroker.named(name).memoryLimit(usualLimit);
    }
}
