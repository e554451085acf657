package io.seedmq.messaging.inmemory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seedmq.messaging.ConnectionOptions;
import io.seedmq.messaging.Lifecycle;
import io.seedmq.messaging.conformance.LifecycleKit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The life-cycle kit on the embedded broker, a fresh named broker per test class instance. */
@DisplayName("Life-cycle kit on the in-memory broker (memory://)")
class InMemoryLifecycleTest extends LifecycleKit {

    private final String broker = "life-" + UUID.randomUUID();

    @Override
    protected ConnectionOptions connectionOptions() {
        return ConnectionOptions.fromUrl("memory://" + broker);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    @DisplayName("a service whose connection is lost for good (the embedded broker does not recover) is FAILED, never silently idle")
    void failsWhenTheConnectionIsLostForGood(Kind kind) throws Exception {
        Lifecycle service = service(kind);
        List<Lifecycle.State> states = new CopyOnWriteArrayList<>();
        service.addStateListener((from, to, cause) -> states.add(to));
        service.start();

        InMemoryBroker.named(broker).disconnectAll();

        assertTrue(service.awaitTermination(timeout()), "terminated: " + states);
        assertEquals(Lifecycle.State.FAILED, service.state());
        assertEquals(List.of(Lifecycle.State.RECOVERING, Lifecycle.State.FAILED), states.subList(states.size() - 2, states.size()));
    }
}
