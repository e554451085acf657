package io.seedmq.messaging;

import io.seedmq.messaging.retry.RetryPolicy;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a {@link Consumer} consumes and how. Immutable; build with {@link #builder()}.
 *
 * <pre>{@code
 * ConsumerOptions options = ConsumerOptions.builder()
 *         .queue(Queue.named("task_queue"))
 *         .prefetch(1)                         // fair dispatch
 *         .accept("json")                      // refuse anything else
 *         .build();
 * }</pre>
 *
 * @param queues the queues, declared (with their bindings) when the consumer starts unless {@code declare} is false
 * @param prefetch most unacknowledged messages held at once per queue; 0 for no limit
 * @param ackMode manual (default) or automatic acknowledgement
 * @param accept content types (or serializer names) allowed; empty means every content type a
 *     serializer reads, plus messages without a content type
 * @param exclusive whether this must be each queue's only consumer
 * @param declare whether to declare the queues on start (kombu's auto_declare)
 * @param decodeErrorHandler hears about refused messages
 * @param cancelHandler hears when the broker cancels the consumer (its queue was deleted)
 * @param handlerRetry how often a handler that throws is run again on the same message, in
 *     process, before the message is dead-lettered (see {@link Builder#handlerRetry(RetryPolicy)})
 * @param maxBodySize the largest body in bytes a handler sees; larger messages are refused as
 *     poison; 0 for no limit
 * @param deadLetterWithCause whether a message that failed for good is republished to its queue's
 *     dead-letter exchange with the cause in its headers (see {@link Builder#deadLetterWithCause})
 *     rather than rejected for the broker to dead-letter
 */
public record ConsumerOptions(List<Queue> queues, int prefetch, AckMode ackMode, Set<String> accept,
                              boolean exclusive, boolean declare, DecodeErrorHandler decodeErrorHandler,
                              BrokerCancelHandler cancelHandler, RetryPolicy handlerRetry, long maxBodySize,
                              boolean deadLetterWithCause) {

    /** Validates and copies. */
    public ConsumerOptions {
        queues = List.copyOf(queues);
        if (queues.isEmpty()) {
            throw new IllegalArgumentException("a consumer needs at least one queue");
        }
        if (prefetch < 0 || prefetch > 65535) {
            throw new IllegalArgumentException("prefetch must be between 0 and 65535: " + prefetch);
        }
        Objects.requireNonNull(ackMode, "ackMode");
        accept = Set.copyOf(accept);
        Objects.requireNonNull(decodeErrorHandler, "decodeErrorHandler");
        Objects.requireNonNull(cancelHandler, "cancelHandler");
        Objects.requireNonNull(handlerRetry, "handlerRetry");
        if (handlerRetry.isForever()) {
            throw new IllegalArgumentException("a handler is retried a bounded number of times, not forever:"
                    + " a message that always fails must end in the dead-letter exchange");
        }
        if (maxBodySize < 0) {
            throw new IllegalArgumentException("maxBodySize must not be negative: " + maxBodySize);
        }
    }

    /** @return a builder: manual acknowledgement, no prefetch limit, every known content type */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param queue a queue name, declared durable as kombu does
     * @return options consuming that queue with the defaults
     */
    public static ConsumerOptions of(String queue) {
        return builder().queue(Queue.named(queue)).build();
    }

    /** @return a builder holding these options */
    public Builder toBuilder() {
        Builder b = new Builder().prefetch(prefetch).ackMode(ackMode).exclusive(exclusive).declare(declare)
                .onDecodeError(decodeErrorHandler).onCancelledByBroker(cancelHandler).handlerRetry(handlerRetry)
                .maxBodySize(maxBodySize).deadLetterWithCause(deadLetterWithCause);
        b.queues.addAll(queues);
        b.accept.addAll(accept);
        return b;
    }

    /** Builds {@link ConsumerOptions}. Not thread-safe. */
    public static final class Builder {
        private final List<Queue> queues = new ArrayList<>();
        private int prefetch;
        private AckMode ackMode = AckMode.MANUAL;
        private final Set<String> accept = new LinkedHashSet<>();
        private boolean exclusive;
        private boolean declare = true;
        private DecodeErrorHandler decodeErrorHandler = DefaultHandlers.INSTANCE;
        private BrokerCancelHandler cancelHandler = DefaultHandlers.INSTANCE;
        private RetryPolicy handlerRetry = RetryPolicy.none();
        private long maxBodySize;
        private boolean deadLetterWithCause;

        private Builder() {
        }

        /**
         * Consumer-side redelivery, in process: when the handler throws (anything but
         * {@link DecodeException} or {@link ContentDisallowedException}, which are never retried) and
         * has not settled the message, the handler runs again on the same message after the policy's
         * back-off, on the same delivery thread, up to {@link RetryPolicy#maxAttempts()} runs in all
         * (the policy's failure classification is not used: every handler failure counts). Then the
         * message is rejected without requeue, so the queue's dead-letter exchange takes it (see
         * {@link #deadLetterWithCause} to carry the cause along). Never requeued, so there is no
         * endless redelivery loop; a consumer being stopped requeues instead of retrying further. While a message is retried the consumer's other
         * deliveries wait, so order is kept per consumer. Default {@link RetryPolicy#none()}: one run.
         *
         * @param policy a bounded policy (not {@link RetryPolicy#forever()})
         * @return this
         */
        public Builder handlerRetry(RetryPolicy policy) {
            this.handlerRetry = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * How a message that failed for good (handler retries exhausted, undecodable, disallowed,
         * too large) reaches the dead-letter exchange.
         *
         * <p>{@code false} (default): rejected without requeue; the broker dead-letters it atomically
         * with its {@code x-death} header (reason {@code rejected}), but the cause stays in the log.
         *
         * <p>{@code true}: when the queue was declared with a dead-letter exchange
         * ({@link Queue.Builder#deadLetterExchange}), a copy carrying the original headers plus
         * {@code x-exception-class}, {@code x-exception-message} (at most 1,000 characters),
         * {@code x-original-exchange}, {@code x-original-routing-key} and {@code x-original-queue}
         * is published there (to the dead-letter routing key, or the original one), the publish
         * confirmed, and only then the original acked. At-least-once: a crash between the two leaves
         * the original to be redelivered and a copy in the dead-letter queue. If the copy cannot be
         * published, or the queue has no dead-letter exchange in its declaration, the message is
         * rejected as with {@code false}.
         *
         * @param withCause republish with the cause in headers
         * @return this
         */
        public Builder deadLetterWithCause(boolean withCause) {
            this.deadLetterWithCause = withCause;
            return this;
        }

        /**
         * @param bytes the largest body a handler sees; a larger message is refused (dead-lettered
         *     like an undecodable one, with one log line) before any decoding; 0 for no limit (default)
         * @return this
         */
        public Builder maxBodySize(long bytes) {
            this.maxBodySize = bytes;
            return this;
        }

        /**
         * @param queue a queue to consume
         * @return this
         */
        public Builder queue(Queue queue) {
            queues.add(Objects.requireNonNull(queue, "queue"));
            return this;
        }

        /**
         * @param name a queue to consume, declared durable
         * @return this
         */
        public Builder queue(String name) {
            return queue(Queue.named(name));
        }

        /**
         * @param prefetch most unacknowledged messages at once, 0 for no limit
         * @return this
         */
        public Builder prefetch(int prefetch) {
            this.prefetch = prefetch;
            return this;
        }

        /**
         * @param mode manual or automatic acknowledgement
         * @return this
         */
        public Builder ackMode(AckMode mode) {
            this.ackMode = mode;
            return this;
        }

        /**
         * @param contentTypesOrNames allowed content types or serializer names
         * @return this
         */
        public Builder accept(String... contentTypesOrNames) {
            accept.addAll(List.of(contentTypesOrNames));
            return this;
        }

        /**
         * @param exclusive be each queue's only consumer
         * @return this
         */
        public Builder exclusive(boolean exclusive) {
            this.exclusive = exclusive;
            return this;
        }

        /**
         * @param declare declare the queues on start (default true)
         * @return this
         */
        public Builder declare(boolean declare) {
            this.declare = declare;
            return this;
        }

        /**
         * @param handler hears about refused messages
         * @return this
         */
        public Builder onDecodeError(DecodeErrorHandler handler) {
            this.decodeErrorHandler = handler;
            return this;
        }

        /**
         * @param handler hears when the broker cancels the consumer
         * @return this
         */
        public Builder onCancelledByBroker(BrokerCancelHandler handler) {
            this.cancelHandler = handler;
            return this;
        }

        /** @return the options */
        public ConsumerOptions build() {
            return new ConsumerOptions(queues, prefetch, ackMode, accept, exclusive, declare, decodeErrorHandler,
                    cancelHandler, handlerRetry, maxBodySize, deadLetterWithCause);
        }
    }

    /** Logs refused messages and broker cancellations; the default handlers. */
    private enum DefaultHandlers implements DecodeErrorHandler, BrokerCancelHandler {
        INSTANCE;

        private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Consumer.class);

        @Override
        public void onDecodeError(Message message, MessagingException error) {
            LOG.warn("rejected {} without requeue: {}", message, error.getMessage());
        }

        @Override
        public void onCancelledByBroker(String queue) {
            LOG.warn("the broker cancelled the consumer of queue '{}' (deleted?); no more messages come from it", queue);
        }
    }
}
