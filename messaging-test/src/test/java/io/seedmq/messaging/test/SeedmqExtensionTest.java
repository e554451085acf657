package io.seedmq.messaging.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seedmq.messaging.Connection;
import io.seedmq.messaging.ConnectionOptions;
import io.seedmq.messaging.Exchange;
import io.seedmq.messaging.Queue;
import io.seedmq.messaging.inmemory.InMemoryBroker;
import io.seedmq.messaging.rpc.RpcServer;
import io.seedmq.messaging.rpc.Target;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The extension on the embedded broker: what it injects, and what it cleans up after each test. */
@SeedmqTest(broker = BrokerKind.MEMORY)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName("@SeedmqTest")
class SeedmqExtensionTest {

    /** What the first test left, for the second to check. */
    private static String namedQueue;
    private static String namedExchange;
    private static String derivedQueue;
    private static String sharedQueue;
    private static Connection firstConnection;
    private static TestBroker outerBroker;

    /** A plain RPC endpoint, to declare what a server declares. */
    public static class Echo {
        public String echo(String text) {
            return text;
        }
    }

    @Test
    @Order(1)
    @DisplayName("injects a new connection per parameter, the class's broker and options, and the test's names")
    void injects(Connection one, Connection two, ConnectionOptions options, TestBroker broker, TestNames names) {
        assertNotSame(one, two);
        assertTrue(one.isOpen() && two.isOpen());
        assertEquals(BrokerKind.MEMORY, broker.kind());
        assertEquals(TestBroker.Source.MEMORY, broker.source());
        assertSame(broker.options(), options);
        assertTrue(options.brokerName().startsWith("seedmq-test-seedmqextensiontest-"), options.brokerName());
        assertTrue(names.suffix().matches("[0-9a-f]{8}"), names.suffix());
        assertEquals("orders." + names.suffix(), names.of("orders"));

        namedQueue = names.of("orders");
        namedExchange = names.of("events");
        one.declare(Queue.named(namedQueue));
        one.declare(Exchange.topic(namedExchange));
        RpcServer server = RpcServer.create(two, Target.topic(names.of("calc")).withServer("s1"), List.of(new Echo()));
        server.start();
        derivedQueue = names.of("calc") + ".s1";
        sharedQueue = "shared-" + UUID.randomUUID();
        one.declare(Queue.named(sharedQueue));
        firstConnection = one;
        outerBroker = broker;
        InMemoryBroker memory = InMemoryBroker.named(options.brokerName());
        assertTrue(memory.queueExists(namedQueue) && memory.queueExists(derivedQueue));
    }

    @Test
    @Order(2)
    @DisplayName("after a test: its connections are closed, and what it declared under its names is deleted, nothing else")
    void cleansUp(TestBroker broker, TestNames names) {
        assertFalse(firstConnection.isOpen(), "the first test's connection was closed");
        InMemoryBroker memory = InMemoryBroker.named(broker.options().brokerName());
        assertFalse(memory.queueExists(namedQueue), "a queue named by TestNames");
        assertFalse(memory.exchangeExists(namedExchange), "an exchange named by TestNames");
        assertFalse(memory.queueExists(derivedQueue), "an RPC server's queue carrying the suffix");
        assertTrue(memory.queueExists(sharedQueue), "a name without the suffix is left alone");
        assertNotEquals(namedQueue, names.of("orders"), "each test has its own suffix");
    }

    @Nested
    @DisplayName("a nested class")
    class Inner {

        @Test
        @DisplayName("shares the broker of its outermost class")
        void sharesTheBroker(TestBroker broker) {
            assertSame(outerBroker, broker);
        }
    }
}
