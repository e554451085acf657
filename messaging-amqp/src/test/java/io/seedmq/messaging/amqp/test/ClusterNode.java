package io.seedmq.messaging.amqp.test;

import io.seedmq.messaging.ConnectionOptions;
import java.io.IOException;

/**
 * One node of the test cluster.
 *
 * @param name its Erlang node name, e.g. {@code seedmqc1@localhost}
 * @param url its own AMQP URL (with credentials: never print it)
 * @param rabbitmqctl the {@code rabbitmqctl} that drives it
 */
public record ClusterNode(String name, String url, Rabbitmqctl rabbitmqctl) {

    /** @return options for this node alone, with the short timeouts of {@link Cluster#builder()} */
    public ConnectionOptions options() {
        return Cluster.testTimeouts(ConnectionOptions.fromUrl(url).toBuilder()).build();
    }

    /** Stops RabbitMQ on the node (its Erlang VM stays up): its connections drop, its queues are down. */
    public void stop() throws IOException {
        rabbitmqctl.stopApp();
    }

    /** Starts RabbitMQ on the node again and returns once it has booted and rejoined. */
    public void start() throws IOException {
        rabbitmqctl.startApp();
    }

    @Override
    public String toString() {
        return name;
    }
}
