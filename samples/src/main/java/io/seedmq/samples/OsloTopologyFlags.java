package io.seedmq.samples;

import io.seedmq.messaging.oslo.OsloTopology;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * oslo.messaging's {@code [oslo_messaging_rabbit]} topology options as flags spelled as oslo's with
 * dashes ({@code amqp_durable_queues} is {@code --amqp-durable-queues}), shared by the oslo RPC and
 * notification samples, so a sample declares its queues as the Python services on its bus do. A
 * flag that is not given keeps the profile's value: seedmq's {@link OsloTopology#defaults()}, or
 * oslo 14.0.3's with {@code --oslo-historical}.
 */
final class OsloTopologyFlags {

    @Option(names = "--oslo-historical",
            description = "start from oslo.messaging 14.0.3's defaults (transient queues) instead of seedmq's,"
                    + " which RabbitMQ 4.3 accepts")
    boolean historical;

    @Option(names = "--amqp-durable-queues", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
            description = "oslo's amqp_durable_queues: durable topic and notification queues and exchange")
    Boolean amqpDurableQueues;

    @Option(names = "--amqp-auto-delete", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
            description = "oslo's amqp_auto_delete: auto-delete topic and notification queues and exchange")
    Boolean amqpAutoDelete;

    @Option(names = "--rabbit-quorum-queue", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
            description = "oslo's rabbit_quorum_queue: topic and notification queues are quorum queues")
    Boolean rabbitQuorumQueue;

    @Option(names = "--rabbit-quorum-delivery-limit", paramLabel = "N",
            description = "oslo's rabbit_quorum_delivery_limit: x-delivery-limit of quorum queues (0: none)")
    Integer rabbitQuorumDeliveryLimit;

    @Option(names = "--rabbit-quorum-max-memory-length", paramLabel = "N",
            description = "oslo's rabbit_quorum_max_memory_length: x-max-in-memory-length (0: none)")
    Long rabbitQuorumMaxMemoryLength;

    @Option(names = "--rabbit-quorum-max-memory-bytes", paramLabel = "N",
            description = "oslo's rabbit_quorum_max_memory_bytes: x-max-in-memory-bytes (0: none)")
    Long rabbitQuorumMaxMemoryBytes;

    @Option(names = "--rabbit-transient-queues-ttl", paramLabel = "SECONDS",
            description = "oslo's rabbit_transient_queues_ttl: x-expires of reply and fanout queues (default 1800; 0: none)")
    Long rabbitTransientQueuesTtl;

    @Option(names = "--rabbit-transient-quorum-queue", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
            description = "oslo's rabbit_transient_quorum_queue: reply and fanout queues are durable quorum queues")
    Boolean rabbitTransientQuorumQueue;

    @Option(names = "--rabbit-stream-fanout", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
            description = "oslo's rabbit_stream_fanout: one stream per topic for fanout (needs the transient quorum queues)")
    Boolean rabbitStreamFanout;

    @Option(names = "--use-queue-manager", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
            description = "oslo's use_queue_manager: reply and fanout queues named <hostname>:<processname>:<n>")
    Boolean useQueueManager;

    @Option(names = "--hostname", paramLabel = "NAME",
            description = "oslo's hostname, for --use-queue-manager (default: this machine's name)")
    String hostname;

    @Option(names = "--processname", paramLabel = "NAME",
            description = "oslo's processname, for --use-queue-manager (default: the main class)")
    String processname;

    /**
     * @return the topology the flags describe
     * @throws IllegalArgumentException for a value or combination oslo refuses too
     */
    OsloTopology topology() {
        OsloTopology.Builder b = (historical ? OsloTopology.historical() : OsloTopology.defaults()).toBuilder();
        if (amqpDurableQueues != null) {
            b.amqpDurableQueues(amqpDurableQueues);
        }
        if (amqpAutoDelete != null) {
            b.amqpAutoDelete(amqpAutoDelete);
        }
        if (rabbitQuorumQueue != null) {
            b.rabbitQuorumQueue(rabbitQuorumQueue);
        }
        if (rabbitQuorumDeliveryLimit != null) {
            b.rabbitQuorumDeliveryLimit(rabbitQuorumDeliveryLimit);
        }
        if (rabbitQuorumMaxMemoryLength != null) {
            b.rabbitQuorumMaxMemoryLength(rabbitQuorumMaxMemoryLength);
        }
        if (rabbitQuorumMaxMemoryBytes != null) {
            b.rabbitQuorumMaxMemoryBytes(rabbitQuorumMaxMemoryBytes);
        }
        if (rabbitTransientQueuesTtl != null) {
            b.rabbitTransientQueuesTtl(Duration.ofSeconds(rabbitTransientQueuesTtl));
        }
        if (rabbitTransientQuorumQueue != null) {
            b.rabbitTransientQuorumQueue(rabbitTransientQuorumQueue);
        }
        if (rabbitStreamFanout != null) {
            b.rabbitStreamFanout(rabbitStreamFanout);
        }
        if (useQueueManager != null) {
            b.useQueueManager(useQueueManager);
        }
        if (hostname != null) {
            b.hostname(hostname);
        }
        if (processname != null) {
            b.processname(processname);
        }
        return b.build();
    }
}
