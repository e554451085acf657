package io.seedmq.messaging.inmemory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seedmq.messaging.AccessRefusedException;
import io.seedmq.messaging.Binding;
import io.seedmq.messaging.Connection;
import io.seedmq.messaging.DeclarationConflictException;
import io.seedmq.messaging.DeprecatedFeature;
import io.seedmq.messaging.DeprecatedFeatureException;
import io.seedmq.messaging.EntityNotFoundException;
import io.seedmq.messaging.Exchange;
import io.seedmq.messaging.ExchangeType;
import io.seedmq.messaging.Queue;
import io.seedmq.messaging.QueueInfo;
import io.seedmq.messaging.spi.Subscription;
import io.seedmq.messaging.spi.TransportConnection;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Declarations")
class DeclarationTest extends Fixture {

    @Test
    @DisplayName("re-declaring a queue with other properties is a conflict naming what differs")
    void queueConflict() {
        conn.declareQueue(Queue.named("q"));
        conn.declareQueue(Queue.named("q"));
        DeclarationConflictException e = assertThrows(DeclarationConflictException.class,
                () -> conn.declareQueue(Queue.builder("q").autoDelete(true).build()));
        assertEquals("PRECONDITION_FAILED - inequivalent arg 'auto_delete' for queue 'q' in vhost '/': received 'true'"
                + " but current is 'false'", e.getMessage());
        e = assertThrows(DeclarationConflictException.class,
                () -> conn.declareQueue(Queue.builder("q").messageTtl(Duration.ofSeconds(1)).build()));
        assertTrue(e.getMessage().contains("'x-message-ttl'"), e.getMessage());
        assertThrows(DeclarationConflictException.class,
                () -> conn.declareQueue(Queue.builder("q").autoDelete(true).build()));
        assertTrue(conn.isOpen());
    }

    @Test
    @DisplayName("numeric arguments are equivalent across integer widths")
    void argumentWidths() {
        conn.declareQueue(Queue.builder("q").argument(Queue.X_MAX_LENGTH, 5).build());
        conn.declareQueue(Queue.builder("q").argument(Queue.X_MAX_LENGTH, 5L).build());
    }

    @Test
    @DisplayName("re-declaring an exchange with another type or durability is a conflict")
    void exchangeConflict() {
        conn.declareExchange(Exchange.direct("x"));
        conn.declareExchange(Exchange.direct("x"));
        DeclarationConflictException e = assertThrows(DeclarationConflictException.class,
                () -> conn.declareExchange(Exchange.fanout("x")));
        assertTrue(e.getMessage().contains("inequivalent arg 'type' for exchange 'x'"), e.getMessage());
        assertThrows(DeclarationConflictException.class,
                () -> conn.declareExchange(Exchange.builder("x", ExchangeType.DIRECT).durable(false).build()));
    }

    @Test
    @DisplayName("passive checks of missing entities fail with EntityNotFoundException")
    void passive() {
        EntityNotFoundException e = assertThrows(EntityNotFoundException.class, () -> conn.checkQueue("nope"));
        assertEquals("NOT_FOUND - no queue 'nope' in vhost '/'", e.getMessage());
        assertThrows(EntityNotFoundException.class, () -> conn.checkExchange("nope"));
        assertThrows(EntityNotFoundException.class, () -> conn.purgeQueue("nope"));
        assertThrows(EntityNotFoundException.class, () -> conn.get("nope", true));
        assertThrows(EntityNotFoundException.class, () -> conn.subscribe("nope", autoAck(), new Recorder()));
        declare("q");
        assertThrows(EntityNotFoundException.class, () -> conn.bind("q", Binding.to(Exchange.direct("nope"), "k")));
        assertThrows(EntityNotFoundException.class,
                () -> conn.bind("nope", Binding.to(Exchange.direct("amq.direct"), "k")));
    }

    @Test
    @DisplayName("server-named queues are called amq.gen- and 22 characters")
    void serverNamed() {
        QueueInfo info = conn.declareQueue(Queue.serverNamed());
        assertTrue(info.name().matches("amq\\.gen-[A-Za-z0-9_-]{22}"), info.name());
        assertTrue(broker.queueExists(info.name()));
    }

    @Test
    @DisplayName("amq.* names and the default exchange are reserved")
    void reserved() {
        assertThrows(AccessRefusedException.class, () -> conn.declareQueue(Queue.named("amq.mine")));
        assertThrows(AccessRefusedException.class, () -> conn.declareExchange(Exchange.direct("amq.mine")));
        assertThrows(AccessRefusedException.class, () -> conn.declareExchange(Exchange.DEFAULT));
        assertThrows(AccessRefusedException.class, () -> conn.deleteExchange("", false));
        assertThrows(AccessRefusedException.class, () -> conn.deleteExchange("amq.direct", false));
        conn.declareExchange(Exchange.direct("amq.direct"));
    }

    @Test
    @DisplayName("an exclusive queue is locked to its connection and vanishes when it closes")
    void exclusive() {
        String q = conn.declareQueue(Queue.builder("ex").exclusive(true).durable(false).build()).name();
        try (TransportConnection other = broker.connect()) {
            assertThrows(AccessRefusedException.class, () -> other.declareQueue(Queue.builder("ex").exclusive(true)
                    .durable(false).build()));
            assertThrows(AccessRefusedException.class, () -> other.checkQueue(q));
            assertThrows(AccessRefusedException.class, () -> other.subscribe(q, autoAck(), new Recorder()));
            assertThrows(AccessRefusedException.class, () -> other.get(q, true));
            assertThrows(AccessRefusedException.class, () -> other.purgeQueue(q));
            assertThrows(AccessRefusedException.class, () -> other.deleteQueue(q, false, false));
            other.publish(message("", q, "others may publish")).join();
        }
        assertEquals(1, conn.checkQueue(q).messageCount());
        conn.close();
        assertFalse(broker.queueExists(q));
    }

    @Test
    @DisplayName("an auto-delete queue goes when its last consumer is cancelled, not before it had one")
    void autoDeleteQueue() {
        conn.declareQueue(Queue.builder("ad").autoDelete(true).build());
        assertTrue(broker.queueExists("ad"));
        Subscription s1 = conn.subscribe("ad", autoAck(), new Recorder());
        Subscription s2 = conn.subscribe("ad", autoAck(), new Recorder());
        s1.cancel();
        assertTrue(broker.queueExists("ad"));
        s2.cancel();
        assertFalse(broker.queueExists("ad"));
    }

    @Test
    @DisplayName("an auto-delete exchange goes when its last binding is removed")
    void autoDeleteExchange() {
        Exchange x = Exchange.builder("adx", ExchangeType.FANOUT).autoDelete(true).build();
        conn.declareExchange(x);
        declare("a");
        declare("b");
        conn.bind("a", Binding.to(x));
        conn.bind("b", Binding.to(x));
        conn.unbind("a", Binding.to(x));
        assertTrue(broker.exchangeExists("adx"));
        conn.deleteQueue("b", false, false);
        assertFalse(broker.exchangeExists("adx"));
    }

    @Test
    @DisplayName("a queue with x-expires is deleted after being unused that long")
    void expires() {
        conn.declareQueue(Queue.builder("exp").expires(Duration.ofMillis(50)).build());
        awaitCondition("queue expired", () -> !broker.queueExists("exp"));
    }

    @Test
    @DisplayName("delete returns the message count and honours if-unused and if-empty")
    void delete() {
        declare("d");
        send("d", "1");
        send("d", "2");
        assertThrows(DeclarationConflictException.class, () -> conn.deleteQueue("d", false, true));
        Recorder r = new Recorder();
        Subscription s = conn.subscribe("d", manual(1), r);
        r.next();
        assertThrows(DeclarationConflictException.class, () -> conn.deleteQueue("d", true, false));
        s.cancel();
        assertEquals(1, conn.deleteQueue("d", true, false));
        assertEquals(0, conn.deleteQueue("d", false, false));
    }

    @Test
    @DisplayName("deleting a queue cancels its consumers, and the listener hears it")
    void deleteCancelsConsumers() throws Exception {
        declare("d");
        Recorder r = new Recorder();
        Subscription s = conn.subscribe("d", autoAck(), r);
        try (TransportConnection other = broker.connect()) {
            other.deleteQueue("d", false, false);
        }
        assertTrue(r.awaitCancelled());
        assertFalse(s.isActive());
    }

    @Test
    @DisplayName("purge removes ready messages only; check counts ready messages and consumers")
    void purgeAndCheck() {
        declare("p");
        send("p", "1");
        send("p", "2");
        send("p", "3");
        var held = conn.get("p", false).orElseThrow();
        conn.subscribe("p", manual(1), new Recorder());
        QueueInfo info = conn.checkQueue("p");
        assertEquals(1, info.consumerCount());
        assertEquals(1, info.messageCount());
        assertEquals(1, conn.purgeQueue("p"));
        held.reject(true);
        assertEquals(1, conn.checkQueue("p").messageCount(), "the requeued message is ready again");
    }

    @Test
    @DisplayName("invalid queue arguments are refused")
    void invalidArguments() {
        assertThrows(DeclarationConflictException.class,
                () -> conn.declareQueue(Queue.builder("bad").argument(Queue.X_MESSAGE_TTL, "soon").build()));
        assertThrows(DeclarationConflictException.class,
                () -> conn.declareQueue(Queue.builder("bad").argument(Queue.X_OVERFLOW, "explode").build()));
        assertFalse(broker.queueExists("bad"));
    }

    @Test
    @DisplayName("as RabbitMQ 4.3, a queue neither durable nor exclusive is refused with RabbitMQ's reason and the fix, and nothing is declared")
    void transientNonExclusiveRefused() {
        DeprecatedFeatureException e = assertThrows(DeprecatedFeatureException.class,
                () -> conn.declareQueue(Queue.builder("transient").durable(false).build()));
        assertEquals(Optional.of(DeprecatedFeature.TRANSIENT_NONEXCL_QUEUES), e.feature());
        assertTrue(e.getMessage().startsWith("declare queue 'transient': INTERNAL_ERROR - Feature "
                + "`transient_nonexcl_queues` is deprecated.\nBy default, this feature is not permitted anymore."),
                e.getMessage());
        assertTrue(e.getMessage().contains("deprecated_features.permit.transient_nonexcl_queues = true"), e.getMessage());
        assertTrue(e.getMessage().endsWith("(declare it durable with a TTL (x-expires), or exclusive)"), e.getMessage());
        assertFalse(broker.queueExists("transient"));
        assertTrue(conn.isOpen());

        conn.declareQueue(Queue.builder("durable-ttl").expires(Duration.ofMinutes(1)).build());
        conn.declareQueue(Queue.builder("exclusive").durable(false).exclusive(true).build());
        conn.declareQueue(Queue.serverNamed());
    }

    @Test
    @DisplayName("a broker told to permit transient_nonexcl_queues takes them, as with deprecated_features.permit on RabbitMQ")
    void transientNonExclusivePermitted() {
        broker.permit(DeprecatedFeature.TRANSIENT_NONEXCL_QUEUES, true);
        assertTrue(broker.isPermitted(DeprecatedFeature.TRANSIENT_NONEXCL_QUEUES));
        conn.declareQueue(Queue.builder("transient").durable(false).build());
        assertTrue(broker.queueExists("transient"));

        broker.permit(DeprecatedFeature.TRANSIENT_NONEXCL_QUEUES, false);
        conn.declareQueue(Queue.builder("transient").durable(false).build());
        assertThrows(DeprecatedFeatureException.class,
                () -> conn.declareQueue(Queue.builder("another").durable(false).build()));
    }

    @Test
    @DisplayName("the URL parameter deprecated_features.permit.<feature>=true permits the feature on the named broker")
    void permitByUrl() {
        try (Connection c = Connection.open("memory://" + broker.name()
                + "?deprecated_features.permit.transient_nonexcl_queues=true")) {
            c.declare(Queue.builder("by-url").durable(false).build());
        }
        assertTrue(broker.isPermitted(DeprecatedFeature.TRANSIENT_NONEXCL_QUEUES));
        assertThrows(IllegalArgumentException.class,
                () -> Connection.open("memory://" + broker.name() + "?deprecated_features.permit.no_such_feature=true"));
    }

    @Test
    @DisplayName("x-queue-master-locator is refused as a deprecated feature; x-queue-mode and x-queue-version 1 (classic queues v1, removed in 4.3) as invalid arguments")
    void removedArguments() {
        assertThrows(DeprecatedFeatureException.class, () -> conn.declareQueue(Queue.builder("locator")
                .argument("x-queue-master-locator", "min-masters").build()));
        DeclarationConflictException mode = assertThrows(DeclarationConflictException.class,
                () -> conn.declareQueue(Queue.builder("lazy").argument("x-queue-mode", "lazy").build()));
        assertTrue(mode.getMessage().startsWith("PRECONDITION_FAILED - invalid arg 'x-queue-mode' for queue 'lazy'"),
                mode.getMessage());
        assertThrows(DeclarationConflictException.class,
                () -> conn.declareQueue(Queue.builder("v1").argument("x-queue-version", 1).build()));
        conn.declareQueue(Queue.builder("v2").argument("x-queue-version", 2).build());
        assertFalse(broker.queueExists("lazy"));
    }
}
