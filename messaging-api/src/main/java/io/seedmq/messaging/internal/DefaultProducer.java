package io.seedmq.messaging.internal;

import io.seedmq.messaging.EncodeException;
import io.seedmq.messaging.MessageProperties;
import io.seedmq.messaging.MessagingException;
import io.seedmq.messaging.OperationTimeoutException;
import io.seedmq.messaging.Producer;
import io.seedmq.messaging.Publish;
import io.seedmq.messaging.PublishWindow;
import io.seedmq.messaging.retry.RetryPolicy;
import io.seedmq.messaging.serialization.Serializer;
import io.seedmq.messaging.spi.OutboundMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The {@link Producer}: declares what a publish names once, encodes, and hands the message to the transport. */
final class DefaultProducer implements Producer {

    /** Slack over the transport's own bound, so its precise failure wins over our generic one. */
    private static final Duration GRACE = Duration.ofSeconds(1);

    private final DefaultConnection connection;
    private final Duration timeout;
    private final Duration bound;
    private final int capacity;
    /** Room for asynchronous publishes awaiting their confirm; a permit is held until the publish's future completes. */
    private final Semaphore window;
    private final AtomicInteger waiting = new AtomicInteger();
    /**
     * The properties last stamped with a serializer's content type. Publishers mostly reuse one
     * {@link Publish} template, so remembering the last result saves a copy per message; a miss
     * (several templates in turn) only costs the copy it would have made anyway.
     */
    private volatile Stamped lastStamped;
    /** The publish template whose declarations were last seen made, and under which epoch; same reasoning. */
    private volatile Declared lastDeclared;

    DefaultProducer(DefaultConnection connection) {
        this.connection = connection;
        this.timeout = connection.options().operationTimeout();
        this.bound = timeout.plus(GRACE);
        this.capacity = connection.options().maxUnconfirmedPublishes();
        this.window = new Semaphore(capacity);
    }

    /**
     * Publishes and waits for the confirm, each attempt bounded by the operation timeout; a
     * retryable failure (the connection dropped before the broker confirmed, an outage)
     * is retried by the publish's {@link RetryPolicy} (the connection's unless the publish names
     * one), the message encoded once. When the attempts run out the last failure is thrown.
     */
    @Override
    public void publish(Object payload, Publish options) {
        Objects.requireNonNull(options, "options");
        OutboundMessage message = encode(payload, options);
        policy(options).execute(() -> "publish to " + options,
                () -> Futures.await(attempt(message, options), bound, () -> "publish to " + options));
    }

    /** As {@link #publish}, within the window of unconfirmed publishes, the retries (if any) waiting on the scheduler. */
    @Override
    public CompletableFuture<Void> publishAsync(Object payload, Publish options) {
        Objects.requireNonNull(options, "options");
        OutboundMessage message;
        try {
            message = encode(payload, options);
            awaitRoom(options);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Void> published;
        try {
            published = policy(options).executeAsync(() -> "publish to " + options, () -> attempt(message, options),
                    connection.scheduler());
        } catch (RuntimeException e) {
            window.release();
            return CompletableFuture.failedFuture(e);
        }
        // The caller's future completes only after the room is given back, so that a caller who saw
        // every future complete sees an empty window (a dependent stage would run after the caller's).
        CompletableFuture<Void> result = new CompletableFuture<>();
        published.whenComplete((ok, e) -> {
            window.release();
            if (e == null) {
                result.complete(ok);
            } else {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /** Takes room in the window, waiting for it at most the operation timeout. */
    private void awaitRoom(Publish options) {
        if (window.tryAcquire()) {
            return;
        }
        waiting.incrementAndGet();
        try {
            if (!window.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new OperationTimeoutException("publish to " + options + ": no room within " + timeout + " in the window of "
                        + capacity + " unconfirmed publishes (the broker confirms slower than this publisher publishes)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MessagingException("publish to " + options + ": interrupted while waiting for room", e);
        } finally {
            waiting.decrementAndGet();
        }
    }

    @Override
    public PublishWindow window() {
        return new PublishWindow(capacity, capacity - window.availablePermits(), waiting.get());
    }

    private RetryPolicy policy(Publish options) {
        return options.retryPolicy() != null ? options.retryPolicy() : connection.options().retryPolicy();
    }

    /** One attempt: declares what the publish names (again after a recovery) and hands the message over. */
    private CompletableFuture<Void> attempt(OutboundMessage message, Publish options) {
        try {
            connection.ensureOpen();
            declare(options);
            return connection.transport().publish(message);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Declares what the publish names, unless this producer saw it all declared under the current epoch. */
    private void declare(Publish options) {
        if (options.declarations().isEmpty()) {
            return;
        }
        int epoch = connection.declaredEpoch();
        Declared last = lastDeclared;
        if (last != null && last.options == options && last.epoch == epoch) {
            return;
        }
        // One try each: the publish's own policy retries the whole attempt, declarations included.
        for (Object entity : options.declarations()) {
            connection.declareOnce(entity, RetryPolicy.none());
        }
        lastDeclared = new Declared(options, epoch);
    }

    OutboundMessage encode(Object payload, Publish options) {
        if (options.mandatory() && !options.confirm()) {
            // A return arrives after an unconfirmed publish completed: it could fail nothing.
            throw new IllegalArgumentException("publish to " + options + ": a mandatory publish needs confirms"
                    + " (a returned message must fail the publish, which completes on hand-over without them)");
        }
        byte[] body;
        MessageProperties properties = options.properties();
        if (options.contentType() != null) {
            body = raw(payload, options.contentType());
        } else {
            Serializer serializer = options.serializer() != null
                    ? connection.serializers().byName(options.serializer())
                    : connection.serializers().forPayload(payload);
            body = serializer.encode(payload);
            properties = stamp(properties, serializer);
        }
        return new OutboundMessage(options.exchange().name(), options.routingKey(), properties, body,
                options.mandatory(), options.confirm());
    }

    private MessageProperties stamp(MessageProperties properties, Serializer serializer) {
        Stamped last = lastStamped;
        if (last != null && last.template == properties && last.serializer == serializer) {
            return last.stamped;
        }
        MessageProperties stamped = properties.toBuilder().contentType(serializer.contentType())
                .contentEncoding(serializer.contentEncoding()).build();
        lastStamped = new Stamped(properties, serializer, stamped);
        return stamped;
    }

    /** Properties as given, the serializer, and the properties carrying its content type and encoding. */
    private record Stamped(MessageProperties template, Serializer serializer, MessageProperties stamped) {
    }

    /** A publish template all of whose entities were declared under a {@link DefaultConnection#declaredEpoch()}. */
    private record Declared(Publish options, int epoch) {
    }

    private static byte[] raw(Object payload, String contentType) {
        if (payload instanceof byte[] bytes) {
            return bytes;
        }
        if (payload instanceof CharSequence text) {
            return text.toString().getBytes(StandardCharsets.UTF_8);
        }
        throw new EncodeException("a publish with explicit content type " + contentType
                + " sends byte[] or text as is, not " + (payload == null ? "null" : payload.getClass().getName()));
    }
}
