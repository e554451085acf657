package io.seedmq.messaging.oslo.internal;

import io.seedmq.messaging.Exchange;
import io.seedmq.messaging.ExchangeType;
import io.seedmq.messaging.Queue;
import io.seedmq.messaging.QueueType;
import io.seedmq.messaging.oslo.OsloTopology;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The exchanges and queues of RPC and notifications for an {@link OsloTopology}, each built as
 * oslo.messaging's rabbit driver declares it for the same settings ({@code impl_rabbit}'s
 * {@code declare_topic_consumer}, {@code declare_fanout_consumer}, {@code declare_direct_consumer},
 * {@code notify_send} and {@code _get_queue_arguments}). One place, so RPC and notifications never
 * disagree with oslo or with each other.
 */
public final class OsloDeclarations {

    /** The queue manager's counters, one per {@code hostname:processname} in this process, from 1 as oslo's. */
    private static final Map<String, AtomicLong> COUNTERS = new ConcurrentHashMap<>();

    private OsloDeclarations() {
    }

    /**
     * @param topology the topology
     * @param name the control exchange's name
     * @return the control exchange (also the notification exchange): topic, durable per the
     *     topology, auto-delete per {@code amqp_auto_delete}
     */
    public static Exchange controlExchange(OsloTopology topology, String name) {
        return Exchange.builder(name, ExchangeType.TOPIC).durable(topology.durable())
                .autoDelete(topology.amqpAutoDelete()).build();
    }

    /**
     * @param topology the topology
     * @param topic the RPC topic
     * @return {@code <topic>_fanout}: fanout, auto-delete, durable when {@code rabbit_transient_quorum_queue}
     */
    public static Exchange fanoutExchange(OsloTopology topology, String topic) {
        return Exchange.builder(topic + "_fanout", ExchangeType.FANOUT).durable(topology.rabbitTransientQuorumQueue())
                .autoDelete(true).build();
    }

    /**
     * @param topology the topology
     * @param name {@code <topic>}, {@code <topic>.<server>}, {@code <topic>.<priority>} or a pool's name
     * @return a builder for a topic or notification queue, to bind: durable per the topology,
     *     auto-delete per {@code amqp_auto_delete}, quorum arguments per {@code rabbit_quorum_queue}
     */
    public static Queue.Builder topicQueue(OsloTopology topology, String name) {
        Queue.Builder q = Queue.builder(name).durable(topology.durable()).exclusive(false)
                .autoDelete(topology.amqpAutoDelete());
        return topology.rabbitQuorumQueue() ? quorum(q, topology) : q;
    }

    /**
     * @param topology the topology
     * @return a new reply queue, {@code reply_<id>}: durable quorum when
     *     {@code rabbit_transient_quorum_queue}, transient otherwise, with the TTL as {@code x-expires};
     *     exclusive classic (nothing else) with seedmq's {@link OsloTopology#exclusiveReplyQueue()}
     */
    public static Queue replyQueue(OsloTopology topology) {
        if (topology.exclusiveReplyQueue()) {
            // Gone with the connection: no x-expires to wait for, and nothing for RabbitMQ 4.3 to refuse.
            return Queue.builder("reply_" + uniqueId(topology)).durable(false).exclusive(true).autoDelete(false).build();
        }
        Queue.Builder q = Queue.builder("reply_" + uniqueId(topology)).durable(topology.rabbitTransientQuorumQueue())
                .autoDelete(false);
        if (topology.rabbitTransientQuorumQueue()) {
            quorum(q, topology);
        }
        return expiring(q, topology).build();
    }

    /**
     * @param topology the topology
     * @param topic the RPC topic
     * @param fanout the topic's fanout exchange, bound with key {@code <topic>}
     * @return a server's fanout queue: {@code <topic>_fanout_<id>}, durable quorum when
     *     {@code rabbit_transient_quorum_queue}, with the TTL as {@code x-expires}; or with
     *     {@code rabbit_stream_fanout} the topic's one stream {@code <topic>_fanout}, durable, its
     *     retention {@code x-max-age} the TTL
     */
    public static Queue fanoutQueue(OsloTopology topology, String topic, Exchange fanout) {
        if (topology.rabbitStreamFanout()) {
            Queue.Builder q = Queue.stream(topic + "_fanout");
            if (!topology.rabbitTransientQueuesTtl().isZero()) {
                // Spelt as oslo spells it (seconds), so both declare equal arguments.
                q.argument(Queue.X_MAX_AGE, topology.rabbitTransientQueuesTtl().toSeconds() + "s");
            }
            return q.bind(fanout, topic).build();
        }
        Queue.Builder q = Queue.builder(topic + "_fanout_" + uniqueId(topology))
                .durable(topology.rabbitTransientQuorumQueue()).autoDelete(false);
        if (topology.rabbitTransientQuorumQueue()) {
            quorum(q, topology);
        }
        return expiring(q, topology).bind(fanout, topic).build();
    }

    /**
     * @param topology the topology
     * @return a random hex id, or with {@code use_queue_manager} {@code <hostname>:<processname>:<n>},
     *     {@code n} counting from 1 in this process for that host and process name, as oslo's
     *     queue manager counts within a process group
     */
    static String uniqueId(OsloTopology topology) {
        if (!topology.useQueueManager()) {
            return OsloCodec.newId();
        }
        String prefix = (topology.hostname() != null ? topology.hostname() : localHostname()) + ":"
                + (topology.processname() != null ? topology.processname() : processName());
        return prefix + ":" + COUNTERS.computeIfAbsent(prefix, k -> new AtomicLong()).incrementAndGet();
    }

    private static Queue.Builder quorum(Queue.Builder q, OsloTopology topology) {
        q.type(QueueType.QUORUM);
        if (topology.rabbitQuorumDeliveryLimit() > 0) {
            q.deliveryLimit(topology.rabbitQuorumDeliveryLimit());
        }
        if (topology.rabbitQuorumMaxMemoryLength() > 0) {
            q.argument("x-max-in-memory-length", topology.rabbitQuorumMaxMemoryLength());
        }
        if (topology.rabbitQuorumMaxMemoryBytes() > 0) {
            q.argument("x-max-in-memory-bytes", topology.rabbitQuorumMaxMemoryBytes());
        }
        return q;
    }

    private static Queue.Builder expiring(Queue.Builder q, OsloTopology topology) {
        return topology.rabbitTransientQueuesTtl().isZero() ? q : q.expires(topology.rabbitTransientQueuesTtl());
    }

    private static String localHostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** oslo takes {@code basename(sys.argv[0])}; a JVM's nearest equivalent is its main class or jar. */
    private static String processName() {
        String command = System.getProperty("sun.java.command", "").trim();
        String main = command.isEmpty() ? "java" : command.split("\\s+")[0];
        int cut = Math.max(main.lastIndexOf('.', main.endsWith(".jar") ? main.length() - 5 : main.length()),
                main.lastIndexOf('/'));
        return main.substring(cut + 1);
    }
}
