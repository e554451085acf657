package io.seedmq.messaging.test.guide;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.seedmq.messaging.Connection;
import io.seedmq.messaging.notify.Notification;
import io.seedmq.messaging.notify.NotificationTarget;
import io.seedmq.messaging.notify.Notifier;
import io.seedmq.messaging.notify.NotifierOptions;
import io.seedmq.messaging.oslo.Context;
import io.seedmq.messaging.test.NotificationRecorder;
import io.seedmq.messaging.test.SeedmqTest;
import io.seedmq.messaging.test.TestNames;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

// docs/testing.md, "Notifications: NotificationRecorder"
@SeedmqTest
class InstanceNotificationsTest {

    /** The code under test: notifies when it creates an instance. */
    record Instances(Notifier notifier) {
        void create(String id) {
            notifier.info(Context.empty().with("user_id", "u-1"), "compute.instance.create.end", Map.of("id", id));
        }
    }

    @Test
    void recordsWhatTheNotifierSends(Connection connection) {
        NotificationRecorder sent = new NotificationRecorder();
        Notifier notifier = Notifier.create(connection, "compute.host1",
                NotifierOptions.builder().driver(NotifierOptions.Driver.NOOP).driver(sent).build());

        new Instances(notifier).create("i-1");

        Notification n = sent.awaitNotification("compute.instance.create.end", Duration.ofSeconds(5));
        assertEquals("i-1", n.payload().get("id").asText());
        assertEquals("compute.host1", n.publisherId());
    }

    @Test
    void recordsWhatReachesTheBroker(Connection listening, Connection notifying, TestNames names) {
        NotificationTarget target = new NotificationTarget(names.of("notifications"), names.of("openstack"));
        try (NotificationRecorder received = new NotificationRecorder().listen(listening, target)) {
            Notifier notifier = Notifier.create(notifying, "compute.host1",
                    NotifierOptions.builder().topics(target.topic()).exchange(target.exchange()).build());

            new Instances(notifier).create("i-2");

            Notification n = received.awaitNotification("compute.instance.create.end", Duration.ofSeconds(5));
            assertEquals("u-1", n.context().asMap().get("user_id"));
        }
    }
}
