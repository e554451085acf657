package io.seedmq.benchmarks;

import io.seedmq.messaging.Connection;
import io.seedmq.messaging.notify.ListenerOptions;
import io.seedmq.messaging.notify.NotificationEndpoint;
import io.seedmq.messaging.notify.NotificationListener;
import io.seedmq.messaging.notify.NotificationResult;
import io.seedmq.messaging.notify.NotificationTarget;
import io.seedmq.messaging.notify.Notifier;
import io.seedmq.messaging.notify.NotifierOptions;
import io.seedmq.messaging.notify.Priority;
import io.seedmq.messaging.oslo.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * seedmq's notifications end to end: a {@link Notifier} ({@code info}, messagingv2, which returns
 * once the broker confirmed) and a {@link NotificationListener} (acks after its endpoint returned),
 * on an exchange and topic of the run's own. The body travels as the notification's payload (base64
 * in a JSON field, as any binary value in a JSON notification would).
 */
final class NotifierEndpoint implements Endpoint {

    private final Connection connection;
    private final String topic;
    private final String exchange;
    private final Notifier notifier;
    private NotificationListener listener;

    /**
     * @param url the transport
     * @param name a unique name: the topic, and the exchange with {@code -x}
     */
    NotifierEndpoint(String url, String name) {
        this.connection = Connection.open(url);
        this.topic = name;
        this.exchange = name + "-x";
        this.notifier = Notifier.create(connection, "benchmarks",
                NotifierOptions.builder().exchange(exchange).topics(topic).build());
    }

    @Override
    public void consume(Consumer<byte[]> onMessage) {
        listener = NotificationListener.create(connection, List.of(NotificationTarget.topic(topic).exchange(exchange)),
                List.of(NotificationEndpoint.of(io.seedmq.messaging.notify.NotificationFilter.builder().build(),
                        Set.of(Priority.INFO), n -> {
                            try {
                                onMessage.accept(n.payload().get("body").binaryValue());
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                            return NotificationResult.HANDLED;
                        })),
                ListenerOptions.builder().stopTimeout(Duration.ofSeconds(5)).build());
        listener.start();
    }

    @Override
    public void publish(byte[] body, Runnable confirmed) {
        notifier.info(Context.empty(), "benchmark.tick", Map.of("body", body));
        confirmed.run();
    }

    @Override
    public void close() {
        try {
            if (listener != null) {
                listener.stop();
            }
            connection.deleteQueue(topic + ".info");
            connection.deleteExchange(exchange, false);
        } finally {
            connection.close();
        }
    }
}
