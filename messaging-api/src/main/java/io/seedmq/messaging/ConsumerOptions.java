package io.seedmq.messaging;

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
 */
public record ConsumerOptions(List<Queue> queues, int prefetch, AckMode ackMode, Set<String> accept,
                              boolean exclusive, boolean declare, DecodeErrorHandler decodeErrorHandler,
                              BrokerCancelHandler cancelHandler) {

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
                .onDecodeError(decodeErrorHandler).onCancelledByBroker(cancelHandler);
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

        private Builder() {
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
                    cancelHandler);
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
