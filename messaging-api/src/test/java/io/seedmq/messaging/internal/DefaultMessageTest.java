package io.seedmq.messaging.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seedmq.messaging.ContentDisallowedException;
import io.seedmq.messaging.DecodeException;
import io.seedmq.messaging.Message;
import io.seedmq.messaging.MessageProperties;
import io.seedmq.messaging.MessageStateException;
import io.seedmq.messaging.serialization.SerializerRegistry;
import io.seedmq.messaging.spi.Delivery;
import io.seedmq.messaging.spi.DeliveryInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Message")
class DefaultMessageTest {

    /** Records what the API layer asked the transport to do with a delivery. */
    static final class RecordingDelivery implements Delivery {
        final List<String> settlements = new ArrayList<>();
        private final byte[] body;
        private final MessageProperties properties;

        RecordingDelivery(String body, String contentType) {
            this.body = body.getBytes(StandardCharsets.UTF_8);
            this.properties = MessageProperties.builder().contentType(contentType).build();
        }

        @Override
        public byte[] body() {
            return body;
        }

        @Override
        public MessageProperties properties() {
            return properties;
        }

        @Override
        public DeliveryInfo info() {
            return new DeliveryInfo("ex", "rk", false, "ctag", 1, "q");
        }

        @Override
        public void ack() {
            settlements.add("ack");
        }

        @Override
        public void reject(boolean requeue) {
            settlements.add(requeue ? "requeue" : "reject");
        }

        @Override
        public void release() {
            settlements.add("release");
        }
    }

    private final SerializerRegistry registry = SerializerRegistry.defaults();

    @Test
    @DisplayName("a message given back unstarted is released (basic.nack, not a failed delivery on RabbitMQ 4.3), reads as requeued, and settles once")
    void releaseGivesBackWithoutFailure() {
        RecordingDelivery d = new RecordingDelivery("{}", "application/json");
        DefaultMessage m = new DefaultMessage(d, registry, false);
        m.release();
        assertEquals(Message.State.REQUEUED, m.state());
        assertThrows(MessageStateException.class, m::requeue);
        assertEquals(List.of("release"), d.settlements);
    }

    @Test
    @DisplayName("settles once: a second ack, reject or requeue is a MessageStateException, and reaches no broker")
    void settleOnce() {
        RecordingDelivery d = new RecordingDelivery("{}", "application/json");
        Message m = new DefaultMessage(d, registry, false);
        assertEquals(Message.State.RECEIVED, m.state());
        m.ack();
        assertEquals(Message.State.ACKNOWLEDGED, m.state());
        MessageStateException e = assertThrows(MessageStateException.class, m::ack);
        assertTrue(e.getMessage().contains("already acknowledged"), e.getMessage());
        assertThrows(MessageStateException.class, m::reject);
        assertThrows(MessageStateException.class, m::requeue);
        assertEquals(List.of("ack"), d.settlements);
    }

    @Test
    @DisplayName("reject and requeue tell the transport whether to requeue")
    void rejectAndRequeue() {
        RecordingDelivery rejected = new RecordingDelivery("x", "text/plain");
        new DefaultMessage(rejected, registry, false).reject();
        RecordingDelivery requeued = new RecordingDelivery("x", "text/plain");
        new DefaultMessage(requeued, registry, false).requeue();
        assertEquals(List.of("reject"), rejected.settlements);
        assertEquals(List.of("requeue"), requeued.settlements);
    }

    @Test
    @DisplayName("with automatic acknowledgement, ack is a no-op (as kombu) and reject is an error")
    void autoAck() {
        RecordingDelivery d = new RecordingDelivery("x", "text/plain");
        Message m = new DefaultMessage(d, registry, true);
        assertTrue(m.isSettled());
        m.ack();
        assertThrows(MessageStateException.class, m::reject);
        assertThrows(MessageStateException.class, m::requeue);
        assertTrue(d.settlements.isEmpty());
    }

    @Test
    @DisplayName("decodes by content type; no content type reads as raw bytes")
    void payloads() {
        assertEquals(Map.of("n", 30), new DefaultMessage(new RecordingDelivery("{\"n\":30}", "application/json"), registry, false)
                .payload(new com.fasterxml.jackson.core.type.TypeReference<Map<String, Integer>>() { }));
        assertEquals("hi", new DefaultMessage(new RecordingDelivery("hi", "text/plain"), registry, false).payload(String.class));
        assertEquals("raw", new DefaultMessage(new RecordingDelivery("raw", null), registry, false).payload(String.class));
        assertThrows(ContentDisallowedException.class,
                () -> new DefaultMessage(new RecordingDelivery("x", "application/x-yaml"), registry, false).payload(String.class));
        assertThrows(DecodeException.class,
                () -> new DefaultMessage(new RecordingDelivery("nope", "application/json"), registry, false).payload(Map.class));
    }

    @Test
    @DisplayName("toString describes the message without decoding its body")
    void toStringHidesBody() {
        String s = new DefaultMessage(new RecordingDelivery("{\"password\":\"x\"}", "application/json"), registry, false).toString();
        assertFalse(s.contains("password"), s);
        assertTrue(s.contains("bodySize=16"), s);
    }
}
