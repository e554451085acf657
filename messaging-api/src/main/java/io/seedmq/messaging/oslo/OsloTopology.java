package io.seedmq.messaging.oslo;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How RPC servers and clients, notifiers and listeners declare their exchanges and queues: oslo's
 * rabbit driver options of {@code [oslo_messaging_rabbit]}, under the same names, so an operator
 * maps a Python service's settings one to one and a Java and a Python service on one bus declare
 * identically (a difference is refused by RabbitMQ with {@code 406 PRECONDITION_FAILED}). Immutable
 * and thread-safe; build with {@link #builder()}, derive with {@link #toBuilder()}, or read an
 * oslo section with {@link #fromSettings(Map)}.
 *
 * <p>What is declared, as oslo.messaging's rabbit driver declares it for the same settings
 * ({@code durable} below is {@code amqp_durable_queues or rabbit_quorum_queue}):
 * <ul>
 *   <li>the control exchange and the notification exchange: topic, {@code durable},
 *       auto-delete {@code amqp_auto_delete};</li>
 *   <li>an RPC server's {@code <topic>} and {@code <topic>.<server>}, a listener's
 *       {@code <topic>.<priority>} or pool queue, a notifier's {@code <topic>.<priority>}:
 *       {@code durable}, auto-delete {@code amqp_auto_delete}, quorum with its limits when
 *       {@code rabbit_quorum_queue};</li>
 *   <li>the fanout exchange {@code <topic>_fanout}: durable when
 *       {@code rabbit_transient_quorum_queue}, auto-delete;</li>
 *   <li>a client's reply queue {@code reply_<id>} and a server's fanout queue
 *       {@code <topic>_fanout_<id>}: durable and quorum when {@code rabbit_transient_quorum_queue},
 *       {@code x-expires} of {@code rabbit_transient_queues_ttl}; with {@code rabbit_stream_fanout}
 *       the fanout queue is one stream {@code <topic>_fanout} shared by all servers, retention
 *       {@code x-max-age} of the TTL. {@code <id>} is a random hex id, or with
 *       {@code use_queue_manager} {@code <hostname>:<processname>:<n>}, counted from 1 in each
 *       process, so a restarted process declares the queues it had and leaves none behind.</li>
 * </ul>
 *
 * <p>One option is seedmq's own, not oslo's: {@link Builder#exclusiveReplyQueue(boolean)}. A reply
 * queue is private to its client (servers only publish to it by name), so how it is declared is the
 * client's choice alone; an exclusive classic queue makes each call cheaper than a quorum queue
 * (no replication, no log) and is allowed by RabbitMQ 4.3, but its replies do not survive the
 * loss of the client's connection.
 *
 * <p>{@link #defaults()} runs on a default RabbitMQ 4.3 (every queue durable); {@link #historical()}
 * is oslo.messaging 14.0.3's defaults, whose reply, fanout, topic and notification queues are
 * transient and non-exclusive, which RabbitMQ 4.3 refuses unless its operator permits
 * {@code transient_nonexcl_queues}.
 */
public final class OsloTopology {

    /** oslo's {@code rabbit_transient_queues_ttl} default: 1800 seconds. */
    public static final Duration DEFAULT_TRANSIENT_QUEUES_TTL = Duration.ofSeconds(1800);

    private static final OsloTopology DEFAULTS = builder().amqpDurableQueues(true).rabbitTransientQuorumQueue(true).build();
    private static final OsloTopology HISTORICAL = builder().build();

    private final boolean amqpDurableQueues;
    private final boolean amqpAutoDelete;
    private final boolean rabbitQuorumQueue;
    private final int rabbitQuorumDeliveryLimit;
    private final long rabbitQuorumMaxMemoryLength;
    private final long rabbitQuorumMaxMemoryBytes;
    private final Duration rabbitTransientQueuesTtl;
    private final boolean rabbitTransientQuorumQueue;
    private final boolean rabbitStreamFanout;
    private final boolean useQueueManager;
    private final boolean exclusiveReplyQueue;
    private final String hostname;
    private final String processname;

    private OsloTopology(Builder b) {
        amqpDurableQueues = b.amqpDurableQueues;
        amqpAutoDelete = b.amqpAutoDelete;
        rabbitQuorumQueue = b.rabbitQuorumQueue;
        rabbitQuorumDeliveryLimit = b.rabbitQuorumDeliveryLimit;
        rabbitQuorumMaxMemoryLength = b.rabbitQuorumMaxMemoryLength;
        rabbitQuorumMaxMemoryBytes = b.rabbitQuorumMaxMemoryBytes;
        rabbitTransientQueuesTtl = b.rabbitTransientQueuesTtl;
        rabbitTransientQuorumQueue = b.rabbitTransientQuorumQueue;
        rabbitStreamFanout = b.rabbitStreamFanout;
        useQueueManager = b.useQueueManager;
        exclusiveReplyQueue = b.exclusiveReplyQueue;
        hostname = b.hostname;
        processname = b.processname;
        if (rabbitStreamFanout && !rabbitTransientQuorumQueue) {
            // oslo refuses this combination at start-up with the same words.
            throw new IllegalArgumentException("rabbit_stream_fanout needs rabbit_transient_quorum_queue to be set to true");
        }
    }

    /**
     * @return seedmq's default, which runs on a default RabbitMQ 4.3: oslo's options with
     *     {@code amqp_durable_queues=true} and {@code rabbit_transient_quorum_queue=true} (durable
     *     topic and notification queues and control exchange; durable quorum reply and fanout
     *     queues with a 30-minute {@code x-expires}; a durable fanout exchange). A Python peer
     *     sharing topics with it sets those two options (oslo.messaging 2024.1 or later for the second)
     */
    public static OsloTopology defaults() {
        return DEFAULTS;
    }

    /**
     * @return oslo.messaging 14.0.3's defaults (every option off, TTL 1800 s): what seedmq 0.1
     *     declared, and what a Python service with an empty {@code [oslo_messaging_rabbit]} section
     *     declares. Its queues are transient and non-exclusive: valid on RabbitMQ before 4.3, or
     *     where {@code deprecated_features.permit.transient_nonexcl_queues = true}
     */
    public static OsloTopology historical() {
        return HISTORICAL;
    }

    /** @return a builder starting from {@link #historical()}, oslo's own defaults, option by option */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads the topology options of an oslo {@code [oslo_messaging_rabbit]} section, keys and values
     * as oslo.config reads them ({@code true}/{@code false} in any case, integers, seconds). A key
     * that is absent takes oslo's default, as for the Python service reading the same section, so
     * an empty map is {@link #historical()}. Keys that are not topology options (connection, TLS,
     * heartbeat, ...) are ignored; {@code rabbit_ha_queues} is ignored too (mirroring is gone since
     * RabbitMQ 4.0 and its argument is not compared on re-declaration). oslo 14.0.3's misspelt
     * {@code rabbit_quroum_max_memory_length} and {@code _bytes} are read as the current names.
     *
     * @param settings the section's keys and values
     * @return the topology
     * @throws IllegalArgumentException for a value oslo.config would refuse, or a combination oslo refuses
     */
    public static OsloTopology fromSettings(Map<String, String> settings) {
        Builder b = builder();
        settings.forEach((key, raw) -> {
            String value = raw == null ? "" : raw.trim();
            switch (key.trim()) {
                case "amqp_durable_queues" -> b.amqpDurableQueues(bool(key, value));
                case "amqp_auto_delete" -> b.amqpAutoDelete(bool(key, value));
                case "rabbit_quorum_queue" -> b.rabbitQuorumQueue(bool(key, value));
                case "rabbit_quorum_delivery_limit" -> b.rabbitQuorumDeliveryLimit((int) integer(key, value));
                case "rabbit_quorum_max_memory_length", "rabbit_quroum_max_memory_length" ->
                        b.rabbitQuorumMaxMemoryLength(integer(key, value));
                case "rabbit_quorum_max_memory_bytes", "rabbit_quroum_max_memory_bytes" ->
                        b.rabbitQuorumMaxMemoryBytes(integer(key, value));
                case "rabbit_transient_queues_ttl" -> b.rabbitTransientQueuesTtl(Duration.ofSeconds(integer(key, value)));
                case "rabbit_transient_quorum_queue" -> b.rabbitTransientQuorumQueue(bool(key, value));
                case "rabbit_stream_fanout" -> b.rabbitStreamFanout(bool(key, value));
                case "use_queue_manager" -> b.useQueueManager(bool(key, value));
                case "hostname" -> b.hostname(value);
                case "processname" -> b.processname(value);
                default -> { }
            }
        });
        return b.build();
    }

    /** @return a builder holding this topology, to derive a variant */
    public Builder toBuilder() {
        return new Builder().amqpDurableQueues(amqpDurableQueues).amqpAutoDelete(amqpAutoDelete)
                .rabbitQuorumQueue(rabbitQuorumQueue).rabbitQuorumDeliveryLimit(rabbitQuorumDeliveryLimit)
                .rabbitQuorumMaxMemoryLength(rabbitQuorumMaxMemoryLength)
                .rabbitQuorumMaxMemoryBytes(rabbitQuorumMaxMemoryBytes).rabbitTransientQueuesTtl(rabbitTransientQueuesTtl)
                .rabbitTransientQuorumQueue(rabbitTransientQuorumQueue).rabbitStreamFanout(rabbitStreamFanout)
                .useQueueManager(useQueueManager).exclusiveReplyQueue(exclusiveReplyQueue).hostname(hostname)
                .processname(processname);
    }

    /** @return {@code amqp_durable_queues}: durable topic and notification queues and exchanges */
    public boolean amqpDurableQueues() {
        return amqpDurableQueues;
    }

    /** @return {@code amqp_auto_delete}: auto-delete topic and notification queues and exchanges */
    public boolean amqpAutoDelete() {
        return amqpAutoDelete;
    }

    /** @return {@code rabbit_quorum_queue}: topic and notification queues are quorum queues (and durable) */
    public boolean rabbitQuorumQueue() {
        return rabbitQuorumQueue;
    }

    /** @return {@code rabbit_quorum_delivery_limit}: {@code x-delivery-limit} of quorum queues, 0 for none */
    public int rabbitQuorumDeliveryLimit() {
        return rabbitQuorumDeliveryLimit;
    }

    /** @return {@code rabbit_quorum_max_memory_length}: {@code x-max-in-memory-length}, 0 for none */
    public long rabbitQuorumMaxMemoryLength() {
        return rabbitQuorumMaxMemoryLength;
    }

    /** @return {@code rabbit_quorum_max_memory_bytes}: {@code x-max-in-memory-bytes}, 0 for none */
    public long rabbitQuorumMaxMemoryBytes() {
        return rabbitQuorumMaxMemoryBytes;
    }

    /**
     * @return {@code rabbit_transient_queues_ttl}: the {@code x-expires} of reply and fanout queues
     *     (the {@code x-max-age} of a stream fanout), zero for none
     */
    public Duration rabbitTransientQueuesTtl() {
        return rabbitTransientQueuesTtl;
    }

    /** @return {@code rabbit_transient_quorum_queue}: reply and fanout queues are durable quorum queues */
    public boolean rabbitTransientQuorumQueue() {
        return rabbitTransientQuorumQueue;
    }

    /** @return {@code rabbit_stream_fanout}: one stream {@code <topic>_fanout} replaces the fanout queues */
    public boolean rabbitStreamFanout() {
        return rabbitStreamFanout;
    }

    /** @return {@code use_queue_manager}: stable reply and fanout queue names instead of random ones */
    public boolean useQueueManager() {
        return useQueueManager;
    }

    /**
     * @return seedmq's own option: the reply queue is an exclusive classic queue, whatever
     *     {@code rabbit_transient_quorum_queue} says (see {@link Builder#exclusiveReplyQueue(boolean)})
     */
    public boolean exclusiveReplyQueue() {
        return exclusiveReplyQueue;
    }

    /** @return {@code hostname} of the queue manager's names */
    public String hostname() {
        return hostname;
    }

    /** @return {@code processname} of the queue manager's names */
    public String processname() {
        return processname;
    }

    /** @return whether topic and notification queues and exchanges are durable: {@code amqp_durable_queues or rabbit_quorum_queue}, as oslo */
    public boolean durable() {
        return amqpDurableQueues || rabbitQuorumQueue;
    }

    /** @return the settings as an oslo section would spell them, non-default ones only */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("OsloTopology[");
        OsloTopology d = HISTORICAL;
        String sep = "";
        if (amqpDurableQueues != d.amqpDurableQueues) {
            s.append(sep).append("amqp_durable_queues=").append(amqpDurableQueues);
            sep = ", ";
        }
        if (amqpAutoDelete != d.amqpAutoDelete) {
            s.append(sep).append("amqp_auto_delete=").append(amqpAutoDelete);
            sep = ", ";
        }
        if (rabbitQuorumQueue != d.rabbitQuorumQueue) {
            s.append(sep).append("rabbit_quorum_queue=").append(rabbitQuorumQueue);
            sep = ", ";
        }
        if (rabbitQuorumDeliveryLimit != 0) {
            s.append(sep).append("rabbit_quorum_delivery_limit=").append(rabbitQuorumDeliveryLimit);
            sep = ", ";
        }
        if (rabbitQuorumMaxMemoryLength != 0) {
            s.append(sep).append("rabbit_quorum_max_memory_length=").append(rabbitQuorumMaxMemoryLength);
            sep = ", ";
        }
        if (rabbitQuorumMaxMemoryBytes != 0) {
            s.append(sep).append("rabbit_quorum_max_memory_bytes=").append(rabbitQuorumMaxMemoryBytes);
            sep = ", ";
        }
        if (!rabbitTransientQueuesTtl.equals(DEFAULT_TRANSIENT_QUEUES_TTL)) {
            s.append(sep).append("rabbit_transient_queues_ttl=").append(rabbitTransientQueuesTtl.toSeconds());
            sep = ", ";
        }
        if (rabbitTransientQuorumQueue) {
            s.append(sep).append("rabbit_transient_quorum_queue=true");
            sep = ", ";
        }
        if (rabbitStreamFanout) {
            s.append(sep).append("rabbit_stream_fanout=true");
            sep = ", ";
        }
        if (useQueueManager) {
            s.append(sep).append("use_queue_manager=true");
            sep = ", ";
        }
        if (exclusiveReplyQueue) {
            s.append(sep).append("exclusive reply queue (seedmq)");
        }
        return s.append(']').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OsloTopology t && amqpDurableQueues == t.amqpDurableQueues
                && amqpAutoDelete == t.amqpAutoDelete && rabbitQuorumQueue == t.rabbitQuorumQueue
                && rabbitQuorumDeliveryLimit == t.rabbitQuorumDeliveryLimit
                && rabbitQuorumMaxMemoryLength == t.rabbitQuorumMaxMemoryLength
                && rabbitQuorumMaxMemoryBytes == t.rabbitQuorumMaxMemoryBytes
                && rabbitTransientQueuesTtl.equals(t.rabbitTransientQueuesTtl)
                && rabbitTransientQuorumQueue == t.rabbitTransientQuorumQueue
                && rabbitStreamFanout == t.rabbitStreamFanout && useQueueManager == t.useQueueManager
                && exclusiveReplyQueue == t.exclusiveReplyQueue
                && Objects.equals(hostname, t.hostname) && Objects.equals(processname, t.processname);
    }

    @Override
    public int hashCode() {
        return Objects.hash(amqpDurableQueues, amqpAutoDelete, rabbitQuorumQueue, rabbitQuorumDeliveryLimit,
                rabbitQuorumMaxMemoryLength, rabbitQuorumMaxMemoryBytes, rabbitTransientQueuesTtl,
                rabbitTransientQuorumQueue, rabbitStreamFanout, useQueueManager, exclusiveReplyQueue, hostname, processname);
    }

    private static boolean bool(String key, String value) {
        // oslo.config's BoolOpt: true/false, yes/no, on/off, 1/0, in any case.
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new IllegalArgumentException(key + " is not a boolean: '" + value + "'");
        };
    }

    private static long integer(String key, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " is not an integer: '" + value + "'", e);
        }
    }

    /** Builds an {@link OsloTopology}, starting from oslo's defaults. Not thread-safe; the built value is. */
    public static final class Builder {
        private boolean amqpDurableQueues;
        private boolean amqpAutoDelete;
        private boolean rabbitQuorumQueue;
        private int rabbitQuorumDeliveryLimit;
        private long rabbitQuorumMaxMemoryLength;
        private long rabbitQuorumMaxMemoryBytes;
        private Duration rabbitTransientQueuesTtl = DEFAULT_TRANSIENT_QUEUES_TTL;
        private boolean rabbitTransientQuorumQueue;
        private boolean rabbitStreamFanout;
        private boolean useQueueManager;
        private boolean exclusiveReplyQueue;
        private String hostname;
        private String processname;

        private Builder() {
        }

        /**
         * @param durable {@code amqp_durable_queues}: durable topic and notification queues, control exchange
         * @return this
         */
        public Builder amqpDurableQueues(boolean durable) {
            this.amqpDurableQueues = durable;
            return this;
        }

        /**
         * @param autoDelete {@code amqp_auto_delete}: auto-delete topic and notification queues, control exchange
         * @return this
         */
        public Builder amqpAutoDelete(boolean autoDelete) {
            this.amqpAutoDelete = autoDelete;
            return this;
        }

        /**
         * @param quorum {@code rabbit_quorum_queue}: topic and notification queues are quorum queues
         * @return this
         */
        public Builder rabbitQuorumQueue(boolean quorum) {
            this.rabbitQuorumQueue = quorum;
            return this;
        }

        /**
         * @param limit {@code rabbit_quorum_delivery_limit}: {@code x-delivery-limit}, 0 for none
         * @return this
         */
        public Builder rabbitQuorumDeliveryLimit(int limit) {
            this.rabbitQuorumDeliveryLimit = notNegative("rabbit_quorum_delivery_limit", limit);
            return this;
        }

        /**
         * @param length {@code rabbit_quorum_max_memory_length}: {@code x-max-in-memory-length}, 0 for none
         * @return this
         */
        public Builder rabbitQuorumMaxMemoryLength(long length) {
            this.rabbitQuorumMaxMemoryLength = notNegative("rabbit_quorum_max_memory_length", length);
            return this;
        }

        /**
         * @param bytes {@code rabbit_quorum_max_memory_bytes}: {@code x-max-in-memory-bytes}, 0 for none
         * @return this
         */
        public Builder rabbitQuorumMaxMemoryBytes(long bytes) {
            this.rabbitQuorumMaxMemoryBytes = notNegative("rabbit_quorum_max_memory_bytes", bytes);
            return this;
        }

        /**
         * @param ttl {@code rabbit_transient_queues_ttl}: {@code x-expires} of reply and fanout
         *     queues, whole seconds; zero for none (default 1800 s)
         * @return this
         */
        public Builder rabbitTransientQueuesTtl(Duration ttl) {
            Objects.requireNonNull(ttl, "ttl");
            if (ttl.isNegative() || ttl.toNanos() % 1_000_000_000L != 0) {
                throw new IllegalArgumentException("rabbit_transient_queues_ttl is whole seconds, not negative: " + ttl);
            }
            this.rabbitTransientQueuesTtl = ttl;
            return this;
        }

        /**
         * @param quorum {@code rabbit_transient_quorum_queue}: reply and fanout queues are durable
         *     quorum queues, the fanout exchange durable
         * @return this
         */
        public Builder rabbitTransientQuorumQueue(boolean quorum) {
            this.rabbitTransientQuorumQueue = quorum;
            return this;
        }

        /**
         * @param stream {@code rabbit_stream_fanout}: one stream per topic instead of a fanout queue
         *     per server; needs {@code rabbit_transient_quorum_queue}, and a broker with streams
         * @return this
         */
        public Builder rabbitStreamFanout(boolean stream) {
            this.rabbitStreamFanout = stream;
            return this;
        }

        /**
         * @param use {@code use_queue_manager}: reply and fanout queues named
         *     {@code <hostname>:<processname>:<n>} instead of a random id
         * @return this
         */
        public Builder useQueueManager(boolean use) {
            this.useQueueManager = use;
            return this;
        }

        /**
         * seedmq's own option (not oslo's, not read by {@link #fromSettings(Map)}): declare the
         * client's reply queue {@code reply_<id>} as an exclusive classic queue instead of as the
         * oslo options say (a durable quorum queue under {@code rabbit_transient_quorum_queue}, a
         * transient one otherwise). Servers, Python ones included, only publish to the queue by
         * name, so a peer never sees the difference. An exclusive queue is allowed by RabbitMQ 4.3
         * and costs a call neither replication nor a log write, which a quorum queue costs every
         * reply (about 1 ms a call on one node; see BENCHMARKS.md). What it gives up: the queue
         * lives and dies with the client's connection, so a reply sent while the connection is
         * being recovered is lost, and its call ends in its timeout; the queue is declared again
         * on the new connection. Off by default.
         *
         * @param exclusive whether the reply queue is exclusive
         * @return this
         */
        public Builder exclusiveReplyQueue(boolean exclusive) {
            this.exclusiveReplyQueue = exclusive;
            return this;
        }

        /**
         * @param hostname {@code hostname} of the queue manager's names; {@code null} (the default)
         *     for this machine's name
         * @return this
         */
        public Builder hostname(String hostname) {
            this.hostname = hostname == null || hostname.isEmpty() ? null : hostname;
            return this;
        }

        /**
         * @param processname {@code processname} of the queue manager's names; {@code null} (the
         *     default) for the main class's simple name
         * @return this
         */
        public Builder processname(String processname) {
            this.processname = processname == null || processname.isEmpty() ? null : processname;
            return this;
        }

        /**
         * @return the topology
         * @throws IllegalArgumentException when {@code rabbit_stream_fanout} is set without
         *     {@code rabbit_transient_quorum_queue}, which oslo refuses too
         */
        public OsloTopology build() {
            return new OsloTopology(this);
        }

        private static <N extends Number> N notNegative(String key, N value) {
            if (value.longValue() < 0) {
                throw new IllegalArgumentException(key + " must not be negative: " + value);
            }
            return value;
        }
    }
}
