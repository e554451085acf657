package io.seedmq.benchmarks;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.io.IOException;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;

/**
 * The reference for the AMQP scenarios, written as RabbitMQ's tutorials write it: one connection
 * publishing and one consuming (as seedmq does), a channel each; in confirm mode, outstanding
 * publishes tracked in a sorted map and settled by the asynchronous confirm listener (multiple
 * included). The consumer is a {@link DefaultConsumer} acknowledging each delivery singly.
 */
final class RawAmqpEndpoint implements Endpoint {

    private final Connection publishConnection;
    private final Connection consumeConnection;
    private final Channel publisher;
    private final Channel consumer;
    private final String queue;
    private final AMQP.BasicProperties properties;
    private final boolean confirms;
    private final boolean manualAck;
    private final int prefetch;
    private final ConcurrentNavigableMap<Long, Runnable> outstanding = new ConcurrentSkipListMap<>();

    /**
     * @param url the broker
     * @param queue a unique queue name
     * @param durable durable queue, persistent messages
     * @param confirms publish in confirm mode
     * @param manualAck acknowledge each delivery (else automatic acknowledgement)
     * @param prefetch basic.qos for manual acknowledgement; 0 for none
     */
    RawAmqpEndpoint(String url, String queue, boolean durable, boolean confirms, boolean manualAck, int prefetch)
            throws Exception {
        ConnectionFactory f = Raw.factory(url);
        this.publishConnection = f.newConnection("seedmq-benchmarks-raw (publish)");
        this.consumeConnection = f.newConnection("seedmq-benchmarks-raw (consume)");
        this.publisher = publishConnection.createChannel();
        this.consumer = consumeConnection.createChannel();
        this.queue = queue;
        this.properties = Raw.properties(durable);
        this.confirms = confirms;
        this.manualAck = manualAck;
        this.prefetch = prefetch;
        // A transient queue is exclusive to the consuming connection (others may still publish to it):
        // RabbitMQ 4.3 refuses transient shared ones.
        consumer.queueDeclare(queue, durable, !durable, false, null);
        if (confirms) {
            publisher.confirmSelect();
            publisher.addConfirmListener((seq, multiple) -> settle(seq, multiple),
                    (seq, multiple) -> settle(seq, multiple));
        }
    }

    private void settle(long seq, boolean multiple) {
        if (multiple) {
            ConcurrentNavigableMap<Long, Runnable> done = outstanding.headMap(seq, true);
            done.values().forEach(Runnable::run);
            done.clear();
        } else {
            Runnable r = outstanding.remove(seq);
            if (r != null) {
                r.run();
            }
        }
    }

    @Override
    public void consume(Consumer<byte[]> onMessage) throws IOException {
        if (manualAck && prefetch > 0) {
            consumer.basicQos(prefetch);
        }
        consumer.basicConsume(queue, !manualAck, new DefaultConsumer(consumer) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body)
                    throws IOException {
                onMessage.accept(body);
                if (manualAck) {
                    getChannel().basicAck(envelope.getDeliveryTag(), false);
                }
            }
        });
    }

    @Override
    public void publish(byte[] body, Runnable confirmed) throws IOException {
        if (confirms) {
            outstanding.put(publisher.getNextPublishSeqNo(), confirmed);
        }
        publisher.basicPublish("", queue, false, properties, body);
        if (!confirms) {
            confirmed.run();
        }
    }

    @Override
    public void close() throws Exception {
        try {
            consumer.queueDelete(queue);
        } finally {
            consumeConnection.close();
            publishConnection.close();
        }
    }
}
