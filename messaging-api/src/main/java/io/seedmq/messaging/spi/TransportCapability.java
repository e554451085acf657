package io.seedmq.messaging.spi;

/** Optional features a transport advertises, so upper layers can use them when present. */
public enum TransportCapability {
    /** A publish completes only after the broker confirmed it took responsibility for the message. */
    PUBLISHER_CONFIRMS,
    /** Durable queues and persistent messages survive a broker restart. */
    PERSISTENCE,
    /** The transport recovers a lost connection by itself, with its topology and consumers. */
    AUTOMATIC_RECOVERY
}
