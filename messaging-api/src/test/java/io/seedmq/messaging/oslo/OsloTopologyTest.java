package io.seedmq.messaging.oslo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seedmq.messaging.Binding;
import io.seedmq.messaging.Exchange;
import io.seedmq.messaging.ExchangeType;
import io.seedmq.messaging.Queue;
import io.seedmq.messaging.oslo.internal.OsloDeclarations;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What each oslo topology option makes RPC and notifications declare, as oslo.messaging's impl_rabbit does. */
@DisplayName("oslo topology options")
class OsloTopologyTest {

    @Test
    @DisplayName("historical() is oslo 14.0.3's defaults: every exchange and queue transient, reply and fanout queues expire after 1800 s")
    void historical() {
        OsloTopology t = OsloTopology.historical();
        assertEquals(OsloTopology.fromSettings(Map.of()), t);
        Exchange control = OsloDeclarations.controlExchange(t, "openstack");
        assertEquals(Exchange.builder("openstack", ExchangeType.TOPIC).durable(false).build(), control);
        assertEquals(Exchange.builder("calc_fanout", ExchangeType.FANOUT).durable(false).autoDelete(true).build(),
                OsloDeclarations.fanoutExchange(t, "calc"));
        assertEquals(Queue.builder("calc").durable(false).build(), OsloDeclarations.topicQueue(t, "calc").build());
        Queue reply = OsloDeclarations.replyQueue(t);
        assertTrue(reply.name().matches("reply_[0-9a-f]{32}"), reply.name());
        assertFalse(reply.durable());
        assertEquals(Map.of(Queue.X_EXPIRES, 1_800_000L), reply.arguments());
        Queue fanout = OsloDeclarations.fanoutQueue(t, "calc", OsloDeclarations.fanoutExchange(t, "calc"));
        assertTrue(fanout.name().matches("calc_fanout_[0-9a-f]{32}"), fanout.name());
        assertFalse(fanout.durable());
        assertEquals(Map.of(Queue.X_EXPIRES, 1_800_000L), fanout.arguments());
        assertEquals(1, fanout.bindings().size());
        assertEquals("calc", fanout.bindings().get(0).routingKey());
    }

    @Test
    @DisplayName("defaults() are amqp_durable_queues and rabbit_transient_quorum_queue: nothing RabbitMQ 4.3 refuses")
    void defaults() {
        OsloTopology t = OsloTopology.defaults();
        assertEquals(OsloTopology.fromSettings(Map.of("amqp_durable_queues", "True",
                "rabbit_transient_quorum_queue", "true")), t);
        assertTrue(OsloDeclarations.controlExchange(t, "openstack").durable());
        assertTrue(OsloDeclarations.fanoutExchange(t, "calc").durable());
        Queue topic = OsloDeclarations.topicQueue(t, "calc").build();
        assertTrue(topic.durable());
        assertEquals(Map.of(), topic.arguments());
        Queue reply = OsloDeclarations.replyQueue(t);
        assertTrue(reply.durable());
        assertEquals(Map.of(Queue.X_QUEUE_TYPE, "quorum", Queue.X_EXPIRES, 1_800_000L), reply.arguments());
        Queue fanout = OsloDeclarations.fanoutQueue(t, "calc", OsloDeclarations.fanoutExchange(t, "calc"));
        assertTrue(fanout.durable());
        assertEquals(Map.of(Queue.X_QUEUE_TYPE, "quorum", Queue.X_EXPIRES, 1_800_000L), fanout.arguments());
    }

    @Test
    @DisplayName("rabbit_quorum_queue makes topic and notification queues durable quorum queues with oslo's limits, and only those")
    void quorum() {
        OsloTopology t = OsloTopology.fromSettings(Map.of("rabbit_quorum_queue", "true",
                "rabbit_quorum_delivery_limit", "5", "rabbit_quroum_max_memory_length", "100",
                "rabbit_quorum_max_memory_bytes", "4096", "ssl", "true"));
        assertTrue(t.durable(), "quorum queues are durable whatever amqp_durable_queues says");
        assertTrue(OsloDeclarations.controlExchange(t, "openstack").durable());
        Queue topic = OsloDeclarations.topicQueue(t, "calc.s1").build();
        assertTrue(topic.durable());
        assertEquals(Map.of(Queue.X_QUEUE_TYPE, "quorum", "x-delivery-limit", 5, "x-max-in-memory-length", 100L,
                "x-max-in-memory-bytes", 4096L), topic.arguments());
        Queue reply = OsloDeclarations.replyQueue(t);
        assertFalse(reply.durable(), "reply queues follow rabbit_transient_quorum_queue only");
        assertEquals(Map.of(Queue.X_EXPIRES, 1_800_000L), reply.arguments());
    }

    @Test
    @DisplayName("seedmq's exclusive reply queue: exclusive classic, nothing else, whatever the oslo options; only the reply queue changes")
    void exclusiveReplyQueue() {
        OsloTopology t = OsloTopology.defaults().toBuilder().exclusiveReplyQueue(true).build();
        Queue reply = OsloDeclarations.replyQueue(t);
        assertTrue(reply.name().startsWith("reply_"));
        assertTrue(reply.exclusive());
        assertFalse(reply.durable());
        assertEquals(Map.of(), reply.arguments(), "no x-queue-type, no x-expires");
        Exchange fanout = OsloDeclarations.fanoutExchange(t, "calc");
        assertEquals(OsloDeclarations.topicQueue(OsloTopology.defaults(), "calc").build(),
                OsloDeclarations.topicQueue(t, "calc").build());
        assertEquals(Map.of(Queue.X_QUEUE_TYPE, "quorum", Queue.X_EXPIRES, 1_800_000L),
                OsloDeclarations.fanoutQueue(t, "calc", fanout).arguments(), "the fanout queue is still oslo's");
        assertNotEquals(OsloTopology.defaults(), t);
        assertEquals(t, t.toBuilder().build());
        assertTrue(t.toString().contains("exclusive reply queue"), t.toString());
        assertFalse(OsloTopology.fromSettings(Map.of("exclusive_reply_queue", "true")).exclusiveReplyQueue(),
                "not an oslo option");
    }

    @Test
    @DisplayName("amqp_auto_delete and rabbit_transient_queues_ttl apply where oslo applies them; a TTL of 0 means no x-expires")
    void autoDeleteAndTtl() {
        OsloTopology t = OsloTopology.builder().amqpAutoDelete(true).rabbitTransientQueuesTtl(Duration.ZERO).build();
        assertTrue(OsloDeclarations.controlExchange(t, "openstack").autoDelete());
        assertTrue(OsloDeclarations.topicQueue(t, "calc").build().autoDelete());
        assertEquals(Map.of(), OsloDeclarations.replyQueue(t).arguments());
        assertEquals(Map.of(Queue.X_EXPIRES, 60_000L), OsloDeclarations.replyQueue(
                OsloTopology.fromSettings(Map.of("rabbit_transient_queues_ttl", "60"))).arguments());
        assertThrows(IllegalArgumentException.class,
                () -> OsloTopology.builder().rabbitTransientQueuesTtl(Duration.ofMillis(1500)));
    }

    @Test
    @DisplayName("rabbit_stream_fanout replaces the fanout queues with one stream per topic, and needs rabbit_transient_quorum_queue")
    void streamFanout() {
        OsloTopology t = OsloTopology.fromSettings(Map.of("rabbit_transient_quorum_queue", "true",
                "rabbit_stream_fanout", "true"));
        Exchange fanout = OsloDeclarations.fanoutExchange(t, "calc");
        Queue stream = OsloDeclarations.fanoutQueue(t, "calc", fanout);
        assertEquals("calc_fanout", stream.name());
        assertTrue(stream.durable());
        assertEquals(Map.of(Queue.X_QUEUE_TYPE, "stream", "x-max-age", "1800s"), stream.arguments());
        assertEquals(Binding.to(fanout, "calc"), stream.bindings().get(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OsloTopology.fromSettings(Map.of("rabbit_stream_fanout", "true")));
        assertTrue(e.getMessage().contains("rabbit_transient_quorum_queue"), e.getMessage());
    }

    @Test
    @DisplayName("use_queue_manager names reply and fanout queues <hostname>:<processname>:<n>, counting from 1 in a process")
    void queueManager() {
        OsloTopology t = OsloTopology.builder().useQueueManager(true).hostname("node1").processname("nova-api-" + System.nanoTime())
                .build();
        String prefix = "node1:" + t.processname() + ":";
        assertEquals("reply_" + prefix + "1", OsloDeclarations.replyQueue(t).name());
        assertEquals("calc_fanout_" + prefix + "2",
                OsloDeclarations.fanoutQueue(t, "calc", OsloDeclarations.fanoutExchange(t, "calc")).name());
        assertEquals("reply_" + prefix + "3", OsloDeclarations.replyQueue(t).name());
    }

    @Test
    @DisplayName("fromSettings reads oslo.config's spellings and refuses what it would refuse; toString prints oslo's keys")
    void settings() {
        assertEquals(OsloTopology.builder().amqpDurableQueues(true).build(),
                OsloTopology.fromSettings(Map.of("amqp_durable_queues", "yes")));
        assertThrows(IllegalArgumentException.class, () -> OsloTopology.fromSettings(Map.of("amqp_durable_queues", "maybe")));
        assertThrows(IllegalArgumentException.class,
                () -> OsloTopology.fromSettings(Map.of("rabbit_quorum_delivery_limit", "five")));
        assertThrows(IllegalArgumentException.class,
                () -> OsloTopology.fromSettings(Map.of("rabbit_quorum_delivery_limit", "-1")));
        assertEquals("OsloTopology[amqp_durable_queues=true, rabbit_transient_quorum_queue=true]",
                OsloTopology.defaults().toString());
        assertNotEquals(OsloTopology.defaults(), OsloTopology.historical());
        assertEquals(OsloTopology.defaults(), OsloTopology.defaults().toBuilder().build());
    }
}
