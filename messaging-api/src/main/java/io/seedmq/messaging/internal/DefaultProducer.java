package io.seedmq.messaging.internal;

import io.seedmq.messaging.DecodeException;
import io.seedmq.messaging.MessageProperties;
import io.seedmq.messaging.Producer;
import io.seedmq.messaging.Publish;
import io.seedmq.messaging.retry.RetryPolicy;
import io.seedmq.messaging.serialization.Serializer;
import io.seedmq.messaging.spi.OutboundMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** The {@link Producer}: declares what a publish names once, encodes, and hands the message to the transport. */
final class DefaultProducer implements Producer {

    /** Slack over the transport's own bound, so its precise failure wins over our generic one. */
    private static final Duration GRACE = Duration.ofSeconds(1);

    private final DefaultConnection connection;

    DefaultProducer(DefaultConnection connection) {
        this.connection = connection;
    }

    /**
     * Publishes and waits for the confirm, each attempt bounded by the operation timeout; a
     * retryable failure (the connection dropped before the broker confirmed, an outage, a nack)
     * is retried by the publish's {@link RetryPolicy} (the connection's unless the publish names
     * one), the message encoded once. When the attempts run out the last failure is thrown.
     */
    @Override
    public void publish(Object payload, Publish options) {
        Objects.requireNonNull(options, "options");
        OutboundMessage message = encode(payload, options);
        Duration bound = connection.options().operationTimeout().plus(GRACE);
        String what = "publish to " + options;
        policy(options).execute(what, () -> Futures.await(attempt(message, options), bound, what));
    }

    @Override
    public CompletableFuture<Void> publishAsync(Object payload, Publish options) {
        Objects.requireNonNull(options, "options");
        OutboundMessage message;
        try {
            message = encode(payload, options);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return policy(options).executeAsync("publish to " + options, () -> attempt(message, options));
    }

    private RetryPolicy policy(Publish options) {
        return options.retryPolicy() != null ? options.retryPolicy() : connection.options().retryPolicy();
    }

    private CompletableFuture<Void> attempt(OutboundMessage message, Publish options) {
        try {
            connection.ensureOpen();
            for (Object entity : options.declarations()) {
                connection.declareOnce(entity);
            }
            return connection.transport().publish(message);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    OutboundMessage encode(Object payload, Publish options) {
        byte[] body;
        MessageProperties properties = options.properties();
        if (options.contentType() != null) {
            body = raw(payload, options.contentType());
        } else {
            Serializer serializer = options.serializer() != null
                    ? connection.serializers().byName(options.serializer())
                    : connection.serializers().forPayload(payload);
            body = serializer.encode(payload);
            properties = properties.toBuilder().contentType(serializer.contentType())
                    .contentEncoding(serializer.contentEncoding()).build();
        }
        return new OutboundMessage(options.exchange().name(), options.routingKey(), properties, body,
                options.mandatory());
    }

    private static byte[] raw(Object payload, String contentType) {
        if (payload instanceof byte[] bytes) {
            return bytes;
        }
        if (payload instanceof CharSequence text) {
            return text.toString().getBytes(StandardCharsets.UTF_8);
        }
        throw new DecodeException("a publish with explicit content type " + contentType
                + " sends byte[] or text as is, not " + (payload == null ? "null" : payload.getClass().getName()));
    }
}
