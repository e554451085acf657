package io.seedmq.messaging;

/**
 * kombu's ConsumerProducerMixin: a {@link ConsumerWorker} whose handlers also publish, typically
 * replies. {@link #producer()} is safe to use from any handler. On RabbitMQ the transport publishes
 * on a connection of its own, so a publisher blocked by a broker resource alarm never stalls
 * the consumers.
 */
public abstract class ConsumerProducerWorker extends ConsumerWorker {

    /** @param connection the connection to consume and publish on; the worker does not close it */
    protected ConsumerProducerWorker(Connection connection) {
        super(connection);
    }

    /** @return the producer handlers publish with */
    protected final Producer producer() {
        return connection().producer();
    }
}
