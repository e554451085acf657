package io.seedmq.messaging.inmemory;

import io.seedmq.messaging.ConnectionOptions;
import io.seedmq.messaging.DeprecatedFeature;
import io.seedmq.messaging.spi.TransportConnection;
import io.seedmq.messaging.spi.TransportProvider;
import java.util.Arrays;
import java.util.Set;

/**
 * The transport for {@code memory://} URLs: {@code memory://} connects to the JVM's default
 * {@link InMemoryBroker}, {@code memory://name} to the broker of that name (created on first use).
 * Found through {@link java.util.ServiceLoader}; applications never name this class. Credentials,
 * virtual host and timeouts in the options are ignored: there is no network and no authentication.
 * Nothing is durable. A parameter {@code deprecated_features.permit.<feature>=true|false} sets
 * {@link InMemoryBroker#permit} on the broker, as the same key in {@code rabbitmq.conf} does.
 */
public final class InMemoryTransportProvider implements TransportProvider {

    private static final String PERMIT = "deprecated_features.permit.";

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public InMemoryTransportProvider() {
    }

    /** @return {@code memory} */
    @Override
    public Set<String> schemes() {
        return Set.of("memory");
    }

    /**
     * @param options options whose {@link ConnectionOptions#brokerName()} selects the broker
     * @return a connection to that broker; never blocks
     */
    @Override
    public TransportConnection connect(ConnectionOptions options) {
        InMemoryBroker broker = InMemoryBroker.named(options.brokerName());
        options.parameters().forEach((key, value) -> {
            if (key.startsWith(PERMIT)) {
                DeprecatedFeature feature = DeprecatedFeature.fromRabbitName(key.substring(PERMIT.length()))
                        .orElseThrow(() -> new IllegalArgumentException("unknown deprecated feature in parameter "
                                + key + "; known: " + Arrays.stream(DeprecatedFeature.values())
                                .map(DeprecatedFeature::rabbitName).toList()));
                broker.permit(feature, switch (value) {
                    case "true" -> true;
                    case "false" -> false;
                    default -> throw new IllegalArgumentException("parameter " + key + " is not true or false: " + value);
                });
            }
        });
        return broker.connect(options.operationTimeout());
    }
}
