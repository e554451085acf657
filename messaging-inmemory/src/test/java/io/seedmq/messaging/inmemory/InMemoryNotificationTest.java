package io.seedmq.messaging.inmemory;

import io.seedmq.messaging.ConnectionOptions;
import io.seedmq.messaging.notify.NotificationKit;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;

/** The notification kit on the embedded broker, one named broker per test class instance. */
@DisplayName("Notifications on memory://")
class InMemoryNotificationTest extends NotificationKit {

    private final String broker = "notify-" + UUID.randomUUID();

    @Override
    protected ConnectionOptions connectionOptions() {
        return ConnectionOptions.fromUrl("memory://" + broker);
    }
}
