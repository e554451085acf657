package io.seedmq.messaging.inmemory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seedmq.messaging.ConnectionException;
import io.seedmq.messaging.Queue;
import io.seedmq.messaging.spi.Delivery;
import io.seedmq.messaging.spi.SubscribeOptions;
import io.seedmq.messaging.spi.TransportConnection;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Streams and quorum queues on the in-memory broker: retention by segment, and what RabbitMQ closes the connection for")
class QueueTypesTest extends Fixture {

    private static SubscribeOptions fromFirst() {
        return new SubscribeOptions(100, false, false, null, Map.of("x-stream-offset", "first"));
    }

    @Test
    @DisplayName("past x-max-length-bytes a stream drops its oldest whole segments, never the one being written")
    void retentionBySegment() {
        conn.declareQueue(Queue.stream("s").maxLengthBytes(20).streamMaxSegmentSizeBytes(10).build());
        for (int i = 0; i < 10; i++) {
            send("s", "12345");
        }
        // Ten 5-byte messages, two to a segment: retention runs when a new segment starts and
        // drops the oldest while more than 20 bytes are kept, so the last roll (at offset 8)
        // leaves segments 4-5 and 6-7 (20 bytes), then 8-9 are written.
        Recorder r = new Recorder();
        conn.subscribe("s", fromFirst(), r);
        Delivery first = r.next();
        assertEquals(4L, first.properties().headers().get("x-stream-offset"));
        assertEquals(6, conn.checkQueue("s").messageCount());
    }

    @Test
    @DisplayName("without retention limits a stream keeps everything it took, whoever read it")
    void noRetention() {
        conn.declareQueue(Queue.stream("s").build());
        for (int i = 0; i < 5; i++) {
            send("s", "m" + i);
        }
        Recorder r = new Recorder();
        conn.subscribe("s", fromFirst(), r);
        for (int i = 0; i < 5; i++) {
            r.next().ack();
        }
        assertEquals(5, conn.checkQueue("s").messageCount());
    }

    @Test
    @DisplayName("basic.get on a stream closes the connection, as RabbitMQ does (540 NOT_IMPLEMENTED)")
    void getClosesConnection() {
        conn.declareQueue(Queue.stream("s").build());
        assertThrows(ConnectionException.class, () -> conn.get("s", false));
        assertFalse(conn.isOpen());
    }

    @Test
    @DisplayName("purging a stream closes the connection, as RabbitMQ does (540 NOT_IMPLEMENTED)")
    void purgeClosesConnection() {
        conn.declareQueue(Queue.stream("s").build());
        assertThrows(ConnectionException.class, () -> conn.purgeQueue("s"));
        assertFalse(conn.isOpen());
    }

    @Test
    @DisplayName("deleting a quorum queue if unused or if empty closes the connection, as RabbitMQ 3.10 does (540 NOT_IMPLEMENTED)")
    void quorumConditionalDelete() {
        conn.declareQueue(Queue.quorum("q").build());
        assertThrows(ConnectionException.class, () -> conn.deleteQueue("q", true, false));
        assertFalse(conn.isOpen());
        TransportConnection other = broker.connect();
        assertThrows(ConnectionException.class, () -> other.deleteQueue("q", false, true));
        assertEquals(0, broker.connect().deleteQueue("q", false, false));
    }

    @Test
    @DisplayName("rejecting a stream delivery at the transport closes the connection, as RabbitMQ does")
    void rejectClosesConnection() {
        conn.declareQueue(Queue.stream("s").build());
        send("s", "m");
        Recorder r = new Recorder();
        conn.subscribe("s", fromFirst(), r);
        r.next().reject(true);
        awaitCondition("the connection is closed", () -> !conn.isOpen());
    }

    @Test
    @DisplayName("an x-stream-offset the broker cannot read closes the connection (RabbitMQ: INTERNAL_ERROR)")
    void badOffset() {
        conn.declareQueue(Queue.stream("s").build());
        assertThrows(ConnectionException.class, () -> conn.subscribe("s",
                new SubscribeOptions(10, false, false, null, Map.of("x-stream-offset", "bogus")), new Recorder()));
        assertFalse(conn.isOpen());
    }

    @Test
    @DisplayName("the broker reports itself as RabbitMQ 4.3.0, the version whose behaviour it follows")
    void reportsVersion() {
        assertEquals(Optional.of("4.3.0"), conn.serverVersion());
    }

    @Test
    @DisplayName("a quorum queue declared without x-delivery-limit drops a message after 20 failed deliveries, RabbitMQ 4.x's default, and releases never count")
    void defaultDeliveryLimit() {
        conn.declareQueue(Queue.quorum("q").build());
        send("q", "m");
        for (int i = 0; i < 5; i++) {
            conn.get("q", false).orElseThrow().release();
        }
        for (long failed = 0; failed <= 20; failed++) {
            Delivery d = conn.get("q", false).orElseThrow();
            assertEquals(failed, d.properties().headers().get("x-delivery-count"));
            assertEquals(failed + 5, d.properties().headers().get("x-acquired-count"));
            d.reject(true);
        }
        assertTrue(conn.get("q", false).isEmpty(), "dropped after its 21st failed delivery: no dead-letter exchange");
    }
}
