package io.seedmq.messaging.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seedmq.messaging.Connection;
import io.seedmq.messaging.ConnectionOptions;
import io.seedmq.messaging.Queue;
import io.seedmq.messaging.inmemory.InMemoryBroker;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What happens when a test class ends, checked on the class's broker itself. */
@DisplayName("The end of a test class")
class ClassBrokerTest {

    @Test
    @DisplayName("closes the class's connections, deletes its named queues, then its embedded broker")
    void endOfClass() {
        String url = "memory://seedmq-test-classbrokertest";
        ClassBroker classBroker = new ClassBroker(BrokerKind.MEMORY, TestBroker.Source.MEMORY, url, ConnectionOptions.fromUrl(url));
        Connection connection = classBroker.broker().connect();
        String queue = classBroker.classScope().names().of("jobs");
        connection.declare(Queue.named(queue));
        InMemoryBroker memory = InMemoryBroker.named("seedmq-test-classbrokertest");
        assertTrue(memory.queueExists(queue));

        classBroker.close();
        assertFalse(connection.isOpen());
        assertThrows(RuntimeException.class, memory::connect, "the class's broker was deleted");
        assertEquals(0, InMemoryBroker.named("seedmq-test-classbrokertest").queueNames().size(),
                "the same name makes a fresh broker");
        InMemoryBroker.named("seedmq-test-classbrokertest").delete();
    }

    @Test
    @DisplayName("a test scope opens no connection after it was closed")
    void closedScope() {
        String url = "memory://seedmq-test-closedscope";
        ClassBroker classBroker = new ClassBroker(BrokerKind.MEMORY, TestBroker.Source.MEMORY, url, ConnectionOptions.fromUrl(url));
        TestScope scope = classBroker.newTestScope();
        scope.close();
        assertThrows(IllegalStateException.class, () -> scope.open(classBroker.broker().options()));
        classBroker.close();
    }
}
