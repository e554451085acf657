package io.seedmq.messaging.observation;

import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import java.util.function.UnaryOperator;

/**
 * The context of a {@link MessagingObservation#PROCESS} or {@link MessagingObservation#RPC_SERVER}
 * observation: a message being handled. Its carrier looks up a trace-context field by name in
 * the message: in its headers for a plain message, in its oslo context for an RPC request or a
 * notification.
 */
public final class ProcessContext extends ReceiverContext<UnaryOperator<String>> {

    private final String queue;
    private final String exchange;
    private final String routingKey;
    private final boolean redelivered;

    /**
     * @param kind {@link Kind#CONSUMER} for a message, {@link Kind#SERVER} for an RPC request
     * @param fields looks up a trace-context field ({@code traceparent}, ...) in the message; {@code null} when absent
     * @param queue the queue it came from
     * @param exchange the exchange it came through, {@code ""} for the default one
     * @param routingKey its routing key
     * @param redelivered whether it was delivered before
     */
    public ProcessContext(Kind kind, UnaryOperator<String> fields, String queue, String exchange, String routingKey,
                          boolean redelivered) {
        super((carrier, key) -> carrier.apply(key), kind);
        setCarrier(fields);
        this.queue = queue;
        this.exchange = exchange;
        this.routingKey = routingKey;
        this.redelivered = redelivered;
    }

    /** @return the queue the message came from */
    public String queue() {
        return queue;
    }

    /** @return the exchange it came through, {@code ""} for the default one */
    public String exchange() {
        return exchange;
    }

    /** @return its routing key */
    public String routingKey() {
        return routingKey;
    }

    /** @return whether it was delivered before */
    public boolean redelivered() {
        return redelivered;
    }
}
