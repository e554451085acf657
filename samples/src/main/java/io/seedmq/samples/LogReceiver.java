package io.seedmq.samples;

import io.seedmq.messaging.AckMode;
import io.seedmq.messaging.Binding;
import io.seedmq.messaging.Connection;
import io.seedmq.messaging.Consumer;
import io.seedmq.messaging.ConsumerOptions;
import io.seedmq.messaging.ConsumerWorker;
import io.seedmq.messaging.Exchange;
import io.seedmq.messaging.Queue;
import java.util.List;

/**
 * The seeds' {@code receive_logs*.py}, shared by the publish/subscribe, routing and topics
 * samples: a fresh server-named, exclusive queue ({@code queue_declare(queue='', exclusive=True)})
 * bound to the log exchange once per binding key, consumed with automatic acknowledgement
 * ({@code auto_ack=True}: a log line lost with a crashing receiver is acceptable). The queue is
 * the receiver's alone and vanishes with its connection.
 */
public final class LogReceiver extends ConsumerWorker {

    /**
     * One received (or emitted) log line.
     *
     * @param routingKey the routing key it was published with ("" on a fanout exchange)
     * @param text the line
     */
    public record LogLine(String routingKey, String text) {
        @Override
        public String toString() {
            return routingKey.isEmpty() ? text : routingKey + ":" + text;
        }
    }

    /** Hears each line; called on a consumer thread, one line at a time. */
    @FunctionalInterface
    public interface LogListener {
        /** @param line the line received */
        void received(LogLine line);
    }

    private final String name;
    private final Exchange exchange;
    private final List<String> bindingKeys;
    private final LogListener listener;
    private volatile String queueName;

    /**
     * @param connection the connection to consume on; the queue lives as long as it
     * @param name the receiver's name
     * @param exchange the log exchange
     * @param bindingKeys one binding per key ({@code ""} for a fanout exchange)
     * @param listener hears each line
     */
    public LogReceiver(Connection connection, String name, Exchange exchange, List<String> bindingKeys,
                       LogListener listener) {
        super(connection);
        this.name = name;
        this.exchange = exchange;
        this.bindingKeys = List.copyOf(bindingKeys);
        this.listener = listener;
    }

    @Override
    protected List<Consumer> consumers(ConsumerFactory factory) {
        Queue queue = Queue.serverNamed();
        for (String key : bindingKeys) {
            queue = queue.bind(Binding.to(exchange, key));
        }
        return List.of(factory.create(
                ConsumerOptions.builder().queue(queue).ackMode(AckMode.AUTO).accept("text", "json").build(),
                message -> listener.received(new LogLine(message.routingKey(), message.payload(String.class)))));
    }

    @Override
    protected void onConsumeReady(List<Consumer> consumers) {
        queueName = consumers.get(0).queueNames().get(0);
    }

    /** @return the name the broker gave the queue ({@code amq.gen-...}), once started */
    public String queueName() {
        return queueName;
    }

    /** @return the binding keys */
    public List<String> bindingKeys() {
        return bindingKeys;
    }

    @Override
    public String toString() {
        return name;
    }
}
