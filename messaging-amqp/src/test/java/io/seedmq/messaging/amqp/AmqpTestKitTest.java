package io.seedmq.messaging.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seedmq.messaging.Binding;
import io.seedmq.messaging.Connection;
import io.seedmq.messaging.EntityNotFoundException;
import io.seedmq.messaging.Exchange;
import io.seedmq.messaging.Publish;
import io.seedmq.messaging.Queue;
import io.seedmq.messaging.notify.NotificationTarget;
import io.seedmq.messaging.notify.Notifier;
import io.seedmq.messaging.notify.NotifierOptions;
import io.seedmq.messaging.oslo.Context;
import io.seedmq.messaging.rpc.RpcClient;
import io.seedmq.messaging.rpc.RpcClientOptions;
import io.seedmq.messaging.rpc.Target;
import io.seedmq.messaging.test.BrokerKind;
import io.seedmq.messaging.test.MessageCollector;
import io.seedmq.messaging.test.NotificationRecorder;
import io.seedmq.messaging.test.RpcDouble;
import io.seedmq.messaging.test.SeedmqTest;
import io.seedmq.messaging.test.TestBroker;
import io.seedmq.messaging.test.TestNames;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The test kit on RabbitMQ: what it cleans up on a shared broker, and its helpers through a real broker. */
@SeedmqTest(broker = BrokerKind.RABBITMQ)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName("The test kit on RabbitMQ")
class AmqpTestKitTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    /** What the first test declared, for the second to check. */
    private static String namedQueue;
    private static String namedExchange;
    private static String derivedQueue;
    private static String sharedQueue;
    private static Connection admin;

    /** The RPC service of the double. */
    public interface Pricing {
        long price(String sku);
    }

    @Test
    @Order(1)
    @DisplayName("a test declares under its names, through an RPC server too, and beside a shared name")
    void declares(Connection connection, TestBroker broker, TestNames names) {
        namedQueue = names.of("orders");
        namedExchange = names.of("events");
        derivedQueue = names.of("pricing") + ".double";
        sharedQueue = "seedmq-kit-shared-" + UUID.randomUUID();
        connection.declare(Queue.named(namedQueue));
        connection.declare(Exchange.topic(namedExchange));
        connection.declare(Queue.named(sharedQueue));
        try (RpcDouble<Pricing> pricing = RpcDouble.of(Pricing.class).returns("price", 42L)
                .serve(connection, Target.topic(names.of("pricing")).withServer("double")
                        .withExchange(names.of("openstack")))) {
            Pricing proxy = RpcClient.create(connection, Target.topic(names.of("pricing"))
                            .withExchange(names.of("openstack")),
                    RpcClientOptions.builder().timeout(WAIT).build()).proxy(Pricing.class);
            assertEquals(42L, proxy.price("tea"));
            assertEquals(Map.of("sku", "tea"), pricing.awaitCall("price", WAIT).arguments());
        }
        admin = broker.connect();
    }

    @Test
    @Order(2)
    @DisplayName("after it, what it declared under its names is gone from the broker, and the shared name is not")
    void cleanedUp(TestNames names) {
        assertThrows(EntityNotFoundException.class, () -> admin.queueInfo(namedQueue));
        assertThrows(EntityNotFoundException.class, () -> admin.checkExchange(namedExchange));
        assertThrows(EntityNotFoundException.class, () -> admin.queueInfo(derivedQueue), "the RPC server's own queue");
        assertEquals(0, admin.queueInfo(sharedQueue).messageCount());
        assertNotEquals(namedQueue, names.of("orders"));
    }

    @Test
    @Order(3)
    @DisplayName("collectors and recorders work through the broker")
    void helpers(Connection one, Connection two, TestNames names) {
        Exchange logs = Exchange.topic(names.of("logs"));
        try (MessageCollector kernel = MessageCollector.bind(one, Binding.to(logs, "kern.#"))) {
            two.producer().publish("disk full", Publish.to(logs).routingKey("kern.disk.full"));
            assertEquals("disk full", kernel.awaitMessages(1, WAIT).get(0).payload(String.class));
        }
        String topic = names.of("notifications");
        String exchange = names.of("openstack");
        try (NotificationRecorder received = new NotificationRecorder().listen(one, new NotificationTarget(topic, exchange))) {
            Notifier.create(two, "kit", NotifierOptions.builder().exchange(exchange).topics(topic).build())
                    .info(Context.empty(), "kit.tested", Map.of());
            assertEquals("kit", received.awaitNotification("kit.tested", WAIT).publisherId());
        }
        assertTrue(one.isOpen());
    }

    @AfterAll
    static void removeShared() {
        admin.deleteQueue(sharedQueue);
    }
}
