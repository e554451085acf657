package io.seedmq.samples;

import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Load on the embedded broker: a million messages through a worker in a child JVM with
 * {@code -Xmx64m} (about 4 s, so it is part of the normal test run). See {@link LoadRun}.
 */
@DisplayName("Load: a million messages through a worker on memory:// with a bounded heap")
class InMemoryLoadTest {

    @Test
    @DisplayName("memory://: a million messages, heap bounded by -Xmx64m, no thread growth")
    void inMemory() throws Exception {
        LoadRun.run("memory://load-" + UUID.randomUUID());
    }
}
