package io.seedmq.messaging.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seedmq.messaging.AccessRefusedException;
import io.seedmq.messaging.Binding;
import io.seedmq.messaging.DeclarationConflictException;
import io.seedmq.messaging.EntityNotFoundException;
import io.seedmq.messaging.Exchange;
import io.seedmq.messaging.ExchangeType;
import io.seedmq.messaging.MessageProperties;
import io.seedmq.messaging.Queue;
import io.seedmq.messaging.QueueInfo;
import io.seedmq.messaging.spi.OutboundMessage;
import io.seedmq.messaging.spi.TransportConnection;
import io.seedmq.messaging.test.BrokerKind;
import io.seedmq.messaging.test.SeedmqTest;
import io.seedmq.messaging.test.TestBroker;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@SeedmqTest(broker = BrokerKind.RABBITMQ)
@DisplayName("AMQP transport: declarations fail typed and leave the connection usable")
class AmqpDeclarationTest {

    private TransportConnection conn;
    private final String prefix = "seedmq-test-" + UUID.randomUUID().toString().substring(0, 8) + "-";

    @BeforeEach
    void open(TestBroker broker) {
        conn = new AmqpTransportProvider().connect(broker.options());
    }

    @AfterEach
    void close() {
        conn.close();
    }

    @Test
    @DisplayName("re-declaring a queue with other properties is a DeclarationConflictException with the broker's text")
    void queueConflict() {
        String q = prefix + "conflict";
        conn.declareQueue(Queue.builder(q).build());
        try {
            DeclarationConflictException e = assertThrows(DeclarationConflictException.class,
                    () -> conn.declareQueue(Queue.builder(q).autoDelete(true).build()));
            assertTrue(e.getMessage().contains("inequivalent arg 'auto_delete'"), e.getMessage());
            QueueInfo info = conn.declareQueue(Queue.builder(q).build());
            assertEquals(q, info.name());
        } finally {
            conn.deleteQueue(q, false, false);
        }
    }

    @Test
    @DisplayName("re-declaring an exchange with another type is a DeclarationConflictException")
    void exchangeConflict() {
        String x = prefix + "x";
        conn.declareExchange(Exchange.builder(x, ExchangeType.DIRECT).durable(false).build());
        try {
            assertThrows(DeclarationConflictException.class,
                    () -> conn.declareExchange(Exchange.builder(x, ExchangeType.FANOUT).durable(false).build()));
            conn.checkExchange(x);
        } finally {
            conn.deleteExchange(x, false);
        }
    }

    @Test
    @DisplayName("passive checks of missing entities are EntityNotFoundException; counts are reported")
    void passive() throws Exception {
        assertThrows(EntityNotFoundException.class, () -> conn.checkQueue(prefix + "missing"));
        assertThrows(EntityNotFoundException.class, () -> conn.checkExchange(prefix + "missing"));
        assertThrows(EntityNotFoundException.class, () -> conn.purgeQueue(prefix + "missing"));
        assertThrows(EntityNotFoundException.class, () -> conn.get(prefix + "missing", false));
        String q = prefix + "counted";
        conn.declareQueue(Queue.builder(q).build());
        try {
            conn.publish(new OutboundMessage("", q, MessageProperties.EMPTY, new byte[] {1}, false))
                    .get(5, TimeUnit.SECONDS);
            QueueInfo info = conn.checkQueue(q);
            assertEquals(new QueueInfo(q, 1, 0), info);
            assertEquals(1, conn.purgeQueue(q));
        } finally {
            conn.deleteQueue(q, false, false);
        }
    }

    @Test
    @DisplayName("binding to a missing exchange is EntityNotFoundException")
    void bindMissing() {
        String q = prefix + "bindq";
        conn.declareQueue(Queue.builder(q).build());
        try {
            assertThrows(EntityNotFoundException.class,
                    () -> conn.bind(q, Binding.to(Exchange.direct(prefix + "nope"), "k")));
        } finally {
            conn.deleteQueue(q, false, false);
        }
    }

    @Test
    @DisplayName("deleting an absent queue succeeds; if-empty on a non-empty queue is a conflict")
    void delete() throws Exception {
        assertEquals(0, conn.deleteQueue(prefix + "never", false, false));
        conn.deleteExchange(prefix + "never", false);
        String q = prefix + "full";
        conn.declareQueue(Queue.builder(q).build());
        conn.publish(new OutboundMessage("", q, MessageProperties.EMPTY, new byte[] {1}, false))
                .get(5, TimeUnit.SECONDS);
        assertThrows(DeclarationConflictException.class, () -> conn.deleteQueue(q, false, true));
        assertEquals(1, conn.deleteQueue(q, false, false));
    }

    @Test
    @DisplayName("a server-named queue gets an amq.gen- name")
    void serverNamed() {
        QueueInfo info = conn.declareQueue(Queue.serverNamed());
        assertTrue(info.name().startsWith("amq.gen-"), info.name());
        conn.deleteQueue(info.name(), false, false);
    }

    @Test
    @DisplayName("another connection's exclusive queue is AccessRefusedException")
    void exclusiveElsewhere(TestBroker broker) {
        String q = prefix + "mine";
        conn.declareQueue(Queue.builder(q).durable(false).exclusive(true).build());
        try (TransportConnection other = new AmqpTransportProvider().connect(broker.options())) {
            assertThrows(AccessRefusedException.class,
                    () -> other.declareQueue(Queue.builder(q).durable(false).exclusive(true).build()));
            String own = prefix + "theirs";
            assertEquals(own, other.declareQueue(Queue.builder(own).durable(false).exclusive(true).build()).name(),
                    "the refusal closed only a channel of the other connection");
        }
    }
}
