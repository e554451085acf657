package io.seedmq.benchmarks;

import io.seedmq.messaging.AckMode;
import io.seedmq.messaging.Connection;
import io.seedmq.messaging.ConnectionOptions;
import java.time.Duration;
import io.seedmq.messaging.ConsumerOptions;
import io.seedmq.messaging.Exchange;
import io.seedmq.messaging.Producer;
import io.seedmq.messaging.Publish;
import io.seedmq.messaging.Queue;
import java.util.function.Consumer;

/**
 * seedmq's producer and consumer on one connection, through the public API only: a queue of its
 * own (bound to a direct exchange when one is given), {@code byte[]} payloads, and either
 * {@link Producer#publish} (blocking until confirmed, or handed over when unconfirmed) or
 * {@link Producer#publishAsync}.
 */
final class SeedmqEndpoint implements Endpoint {

    private final Connection connection;
    private final String queue;
    private final Exchange exchange;
    private final Publish publish;
    private final AckMode ackMode;
    private final int prefetch;
    private final boolean blocking;
    private io.seedmq.messaging.Consumer consumer;

    /**
     * @param options the transport and its options (an observation registry, for example)
     * @param queue a unique queue name
     * @param durable durable queue (and exchange), persistent messages
     * @param exchange a direct exchange to publish through, or {@code null} for the default exchange
     * @param ackMode how the consumer acknowledges
     * @param prefetch the consumer's prefetch (manual acknowledgement only; 0 for none)
     * @param blocking {@code publish} rather than {@code publishAsync}
     */
    SeedmqEndpoint(ConnectionOptions options, String queue, boolean durable, String exchange, AckMode ackMode,
                   int prefetch, boolean blocking) {
        this(options, queue, durable, exchange, ackMode, prefetch, blocking, true);
    }

    /**
     * @param confirm whether publishes wait for the broker's confirm ({@link Publish#confirm(boolean)})
     * @see #SeedmqEndpoint(ConnectionOptions, String, boolean, String, AckMode, int, boolean)
     */
    SeedmqEndpoint(ConnectionOptions options, String queue, boolean durable, String exchange, AckMode ackMode,
                   int prefetch, boolean blocking, boolean confirm) {
        this.connection = Connection.open(options);
        this.queue = queue;
        this.exchange = exchange == null ? null : Exchange.builder(exchange, io.seedmq.messaging.ExchangeType.DIRECT)
                .durable(durable).build();
        // A transient queue is this connection's own: RabbitMQ 4.3 refuses transient shared ones.
        Queue.Builder q = Queue.builder(queue).durable(durable).exclusive(!durable);
        if (this.exchange != null) {
            q.bind(this.exchange, queue);
        }
        connection.declare(q.build());
        this.publish = (this.exchange == null ? Publish.toQueue(queue) : Publish.to(this.exchange).routingKey(queue))
                .persistent(durable).confirm(confirm);
        this.ackMode = ackMode;
        this.prefetch = prefetch;
        this.blocking = blocking;
    }

    @Override
    public void consume(Consumer<byte[]> onMessage) {
        boolean manual = ackMode == AckMode.MANUAL;
        consumer = connection.consumer(ConsumerOptions.builder().queue(queue).ackMode(ackMode)
                .prefetch(manual ? prefetch : 0).declare(false).build(), m -> {
                    onMessage.accept(m.body());
                    if (manual) {
                        m.ack();
                    }
                });
        consumer.start();
    }

    @Override
    public void publish(byte[] body, Runnable confirmed) {
        if (blocking) {
            connection.producer().publish(body, publish);
            confirmed.run();
        } else {
            connection.producer().publishAsync(body, publish).whenComplete((ok, failure) -> confirmed.run());
        }
    }

    @Override
    public void close() {
        try {
            if (consumer != null) {
                consumer.stop(Duration.ZERO);
            }
            connection.deleteQueue(queue);
            if (exchange != null) {
                connection.deleteExchange(exchange.name(), false);
            }
        } finally {
            connection.close();
        }
    }
}
