package io.seedmq.messaging.amqp.differential;

import com.rabbitmq.client.ConnectionFactory;
import io.seedmq.messaging.ConnectionOptions;

/**
 * The major version of the RabbitMQ under test, read from its server properties (seedmq's API
 * does not expose them): what the differential test may expect depends on it in one place, the
 * order of {@code x-death} entries (see {@link Scenario#deadLetteringFromOneQueue()}).
 */
final class BrokerVersion {
    private static volatile Integer major;

    private BrokerVersion() {
    }

    /** @return the broker's major version, 0 if it cannot be read (then the stricter rules apply) */
    static int major(ConnectionOptions broker) {
        Integer known = major;
        if (known == null) {
            known = read(broker);
            major = known;
        }
        return known;
    }

    private static int read(ConnectionOptions options) {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(options.addresses().get(0).host());
        factory.setPort(options.addresses().get(0).portOr(5672));
        factory.setUsername(options.username());
        factory.setPassword(options.password());
        factory.setVirtualHost(options.virtualHost());
        factory.setAutomaticRecoveryEnabled(false);
        factory.setConnectionTimeout(5000);
        try (com.rabbitmq.client.Connection c = factory.newConnection("seedmq-differential-version")) {
            String version = String.valueOf(c.getServerProperties().get("version"));
            return Integer.parseInt(version.substring(0, version.indexOf('.')));
        } catch (Exception e) {
            return 0;
        }
    }
}
