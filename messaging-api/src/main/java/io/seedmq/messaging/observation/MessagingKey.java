package io.seedmq.messaging.observation;

import io.micrometer.common.docs.KeyName;

/**
 * The tags (low cardinality) and span attributes (high cardinality) of seedmq's observations,
 * named after OpenTelemetry's messaging and RPC semantic conventions where they have a name.
 * Which observation carries which is listed on {@link MessagingObservation}. Every observation of
 * one name carries the same set of tags, as Prometheus requires.
 */
public enum MessagingKey implements KeyName {

    /** {@code rabbitmq} on RabbitMQ, {@code memory} on the embedded broker. */
    MESSAGING_SYSTEM("messaging.system"),
    /** {@code publish} or {@code process}. */
    MESSAGING_OPERATION("messaging.operation"),
    /**
     * The exchange a message was published to or came through; {@code amq.default} for the default
     * exchange (whose routing keys are queue names, often server-named, so never a tag).
     */
    MESSAGING_DESTINATION("messaging.destination.name"),
    /** The routing key; high cardinality (a reply queue's name is one). */
    ROUTING_KEY("messaging.rabbitmq.destination.routing_key"),
    /** The queue a message was consumed from; high cardinality (server-named queues). */
    QUEUE("messaging.destination.subscription.name"),
    /**
     * How a publish, an RPC call or a notification ended: {@code confirmed}, {@code nacked},
     * {@code returned}, {@code failed} (publish); {@code result}, {@code remote_error},
     * {@code timeout}, {@code undeliverable}, {@code failed}, {@code sent} for a cast (RPC client);
     * {@code sent}, {@code failed} (notify).
     */
    OUTCOME("outcome"),
    /** Which service handled a message: {@code consumer}, {@code worker}, {@code notification_listener}. */
    SERVICE("seedmq.service"),
    /** Whether the message had been delivered before: {@code true} or {@code false}. */
    REDELIVERED("seedmq.redelivered"),
    /** {@code oslo_messaging}. */
    RPC_SYSTEM("rpc.system"),
    /** The RPC topic. */
    RPC_SERVICE("rpc.service"),
    /** The RPC method; {@code _OTHER} on the server for a method no endpoint has, so a caller cannot grow the tag set. */
    RPC_METHOD("rpc.method"),
    /**
     * On an RPC call that raised remotely, the remote exception's class (oslo's {@code class}, such as
     * {@code ValueError} or {@code NoSuchMethod}); {@code none} otherwise.
     */
    ERROR_TYPE("error.type"),
    /** The target server of an RPC call, or {@code none}; high cardinality. */
    RPC_SERVER("seedmq.rpc.server"),
    /** A notification's priority, lower case: {@code info}, {@code error}, ... */
    NOTIFICATION_PRIORITY("seedmq.notification.priority"),
    /** A notification's event type; high cardinality. */
    NOTIFICATION_EVENT_TYPE("seedmq.notification.event_type");

    private final String name;

    MessagingKey(String name) {
        this.name = name;
    }

    @Override
    public String asString() {
        return name;
    }
}
