package io.seedmq.messaging.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seedmq.messaging.Connection;
import io.seedmq.messaging.notify.Notification;
import io.seedmq.messaging.notify.NotificationTarget;
import io.seedmq.messaging.notify.Notifier;
import io.seedmq.messaging.notify.NotifierOptions;
import io.seedmq.messaging.notify.Priority;
import io.seedmq.messaging.oslo.Context;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@SeedmqTest
@DisplayName("NotificationRecorder")
class NotificationRecorderTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    @DisplayName("as a notifier's driver, records what is sent without a broker, sensitive context stripped")
    void driver(Connection connection) {
        NotificationRecorder sent = new NotificationRecorder();
        Notifier notifier = Notifier.create(connection, "compute.host1", NotifierOptions.builder()
                .driver(NotifierOptions.Driver.NOOP).driver(sent).build());
        new Thread(() -> notifier.info(Context.empty().with("auth_token", "secret").with("user_id", "u-1"),
                "compute.instance.create.end", Map.of("id", "i-1"))).start();
        Notification n = sent.awaitNotification("compute.instance.create.end", WAIT);
        assertEquals(Priority.INFO, n.priority());
        assertEquals("compute.host1", n.publisherId());
        assertEquals(Map.of("user_id", "u-1"), n.context().asMap());
        assertEquals("i-1", n.payload().get("id").asText());
    }

    @Test
    @DisplayName("as a listener, records what reaches the broker")
    void listener(Connection listening, Connection notifying, TestNames names) {
        String topic = names.of("notifications");
        String exchange = names.of("openstack");
        try (NotificationRecorder received = new NotificationRecorder()
                .listen(listening, new NotificationTarget(topic, exchange))) {
            Notifier notifier = Notifier.create(notifying, "billing", NotifierOptions.builder().exchange(exchange)
                    .topics(topic).build());
            notifier.info(Context.empty(), "invoice.sent", Map.of("n", 1));
            notifier.error(Context.empty(), "invoice.failed", Map.of("n", 2));
            assertEquals(2, received.awaitNotifications(2, WAIT).size());
            assertEquals(Priority.ERROR, received.awaitNotification(x -> x.priority() == Priority.ERROR, WAIT).priority());
        }
    }

    @Test
    @DisplayName("a wait that runs out fails, listing what was recorded")
    void readableFailure(Connection connection) {
        NotificationRecorder sent = new NotificationRecorder();
        Notifier notifier = Notifier.create(connection, "p", NotifierOptions.builder()
                .driver(NotifierOptions.Driver.NOOP).driver(sent).build());
        notifier.warning(Context.empty(), "disk.low", Map.of("free", 5));
        AssertionError e = assertThrows(AssertionError.class,
                () -> sent.awaitNotification("disk.full", Duration.ofMillis(100)));
        assertTrue(e.getMessage().contains("event type 'disk.full'") && e.getMessage()
                .contains("1. WARN disk.low from 'p': {\"free\":5}"), e.getMessage());
    }
}
