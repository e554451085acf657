package io.seedmq.messaging;

import java.util.Locale;

/** The four AMQP 0-9-1 exchange types and how each routes. */
public enum ExchangeType {
    /** Routes to queues whose binding key equals the routing key. */
    DIRECT,
    /** Routes to every bound queue, ignoring the routing key. */
    FANOUT,
    /** Routes by pattern: binding keys are dot-separated words where {@code *} matches one word and {@code #} zero or more. */
    TOPIC,
    /** Routes by message headers against the binding's arguments, {@code x-match} {@code all} (default) or {@code any}. */
    HEADERS;

    /** @return the AMQP name of the type: {@code direct}, {@code fanout}, {@code topic} or {@code headers} */
    public String amqpName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param name an AMQP type name, case-insensitive
     * @return the matching type
     * @throws IllegalArgumentException for any other name
     */
    public static ExchangeType fromAmqpName(String name) {
        for (ExchangeType type : values()) {
            if (type.amqpName().equalsIgnoreCase(name)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown exchange type '" + name + "' (direct, fanout, topic or headers)");
    }
}
