package io.seedmq.messaging.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seedmq.messaging.Connection;
import io.seedmq.messaging.Lifecycle;
import io.seedmq.messaging.amqp.test.FaultNode;
import io.seedmq.messaging.amqp.test.FaultBroker;
import io.seedmq.messaging.amqp.test.Rabbitmqctl;
import io.seedmq.messaging.notify.ListenerOptions;
import io.seedmq.messaging.notify.Notification;
import io.seedmq.messaging.notify.NotificationEndpoint;
import io.seedmq.messaging.notify.NotificationListener;
import io.seedmq.messaging.notify.NotificationResult;
import io.seedmq.messaging.notify.NotificationTarget;
import io.seedmq.messaging.notify.Notifier;
import io.seedmq.messaging.notify.NotifierOptions;
import io.seedmq.messaging.oslo.Context;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A notification listener across a broker restart, on the node the tests may restart ({@link FaultBroker}). */
@FaultBroker
@DisplayName("Notifications across a broker restart")
class AmqpNotificationFaultTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final FaultNode broker;
    private final Rabbitmqctl ctl;

    AmqpNotificationFaultTest(FaultNode broker) {
        this.broker = broker;
        this.ctl = broker.rabbitmqctl();
    }

    @Test
    @DisplayName("a listener keeps receiving after stop_app/start_app; a notifier with retries rides out the outage")
    void listenerSurvivesRestart() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String topic = "seedmq-fault-notify-" + id;
        BlockingQueue<Notification> received = new LinkedBlockingQueue<>();
        try (Connection listenerConn = Connection.open(broker.builder().connectionName("seedmq-fault-listener-" + id).build());
             Connection notifierConn = Connection.open(broker.builder().connectionName("seedmq-fault-notifier-" + id).build())) {
            NotificationListener listener = NotificationListener.create(listenerConn,
                    List.of(new NotificationTarget(topic, topic)),
                    List.of(NotificationEndpoint.of(n -> {
                        received.add(n);
                        return NotificationResult.HANDLED;
                    })),
                    ListenerOptions.builder().pool("fault-pool-" + id).build());
            List<Lifecycle.State> states = new CopyOnWriteArrayList<>();
            listener.addStateListener((from, to, cause) -> states.add(to));
            listener.start();
            // Retries for about a minute: long enough for the broker to come back.
            Notifier notifier = Notifier.create(notifierConn, "fault.test",
                    NotifierOptions.builder().exchange(topic).topics(topic).retry(80).declareQueues(false).build());
            try {
                notifier.info(Context.empty(), "before", Map.of("n", 1));
                Notification before = received.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertNotNull(before);
                assertEquals("before", before.eventType());

                ctl.stopApp();
                ctl.startApp();

                // The pool's queue (not durable) went with the restart; the listener's connection
                // recovery declares it again. A notify sent before that is dropped by the exchange,
                // so notify until one arrives, then check that later ones all do.
                long deadline = System.nanoTime() + WAIT.toNanos();
                Notification after = null;
                while (after == null && System.nanoTime() < deadline) {
                    notifier.info(Context.empty(), "after", Map.of("n", 2));
                    after = received.poll(1, TimeUnit.SECONDS);
                }
                assertNotNull(after, "the listener received nothing within " + WAIT + " of the restart");
                for (int i = 0; i < 10; i++) {
                    notifier.info(Context.empty(), "steady", Map.of("n", i));
                }
                // Late copies of "after" may still come; every "steady" one must.
                java.util.Set<Integer> steady = new java.util.TreeSet<>();
                while (steady.size() < 10) {
                    Notification n = received.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
                    assertNotNull(n, "after recovery only " + steady + " of 10 arrived");
                    if (n.eventType().equals("steady")) {
                        steady.add(n.payload().get("n").asInt());
                    }
                }
                assertTrue(states.contains(Lifecycle.State.RECOVERING), "the listener reported the loss: " + states);
                assertEquals(Lifecycle.State.RUNNING, listener.state(), "and is back: " + states);
            } finally {
                listener.stop();
                try {
                    listenerConn.deleteQueue("fault-pool-" + id);
                } catch (RuntimeException ignored) {
                    // gone
                }
            }
        }
    }
}
