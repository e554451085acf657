package io.seedmq.messaging.internal;

import io.seedmq.messaging.AckMode;
import io.seedmq.messaging.Consumer;
import io.seedmq.messaging.ConsumerOptions;
import io.seedmq.messaging.ContentDisallowedException;
import io.seedmq.messaging.DecodeException;
import io.seedmq.messaging.MessageHandler;
import io.seedmq.messaging.MessageProperties;
import io.seedmq.messaging.MessageTooLargeException;
import io.seedmq.messaging.Queue;
import io.seedmq.messaging.serialization.SerializerRegistry;
import io.seedmq.messaging.spi.Delivery;
import io.seedmq.messaging.retry.RetryPolicy;
import io.seedmq.messaging.spi.DeliveryListener;
import io.seedmq.messaging.spi.OutboundMessage;
import io.seedmq.messaging.spi.SubscribeOptions;
import io.seedmq.messaging.spi.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Consumer}: subscribes to each queue and runs the handler with kombu's error rules, plus
 * seedmq's poison-message and handler-retry rules (see {@link ConsumerOptions.Builder#handlerRetry}).
 */
public final class DefaultConsumer implements Consumer {

    /** Header on a dead-lettered copy: the class of the exception that failed the message. */
    public static final String X_EXCEPTION_CLASS = "x-exception-class";
    /** Header on a dead-lettered copy: that exception's message (at most 1,000 characters). */
    public static final String X_EXCEPTION_MESSAGE = "x-exception-message";
    /** Header on a dead-lettered copy: the exchange the message was first published to. */
    public static final String X_ORIGINAL_EXCHANGE = "x-original-exchange";
    /** Header on a dead-lettered copy: its routing key then. */
    public static final String X_ORIGINAL_ROUTING_KEY = "x-original-routing-key";
    /** Header on a dead-lettered copy: the queue it failed in. */
    public static final String X_ORIGINAL_QUEUE = "x-original-queue";

    private static final Logger LOG = LoggerFactory.getLogger(DefaultConsumer.class);
    private static final int MAX_HEADER_TEXT = 1000;

    private final DefaultConnection connection;
    private final ConsumerOptions options;
    private final MessageHandler handler;
    private final boolean autoAck;
    private final Set<String> accept;
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final List<String> queueNames = new CopyOnWriteArrayList<>();
    private final Map<String, Queue> declaredQueues = new ConcurrentHashMap<>();
    private final RetryPolicy handlerRetry;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    /** Handlers running now; the lock is taken only to wake {@link #awaitIdle} when it drops to zero. */
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Threads in {@link #awaitIdle}; changed under the lock, read without it by finishing handlers. */
    private volatile int idleWaiters;
    private volatile boolean active;
    /**
     * The content type of the last accepted message. A stream mostly carries one, and the accept
     * list and the registry only ever accept more, so a positive answer can be remembered.
     */
    private volatile String lastAccepted;

    DefaultConsumer(DefaultConnection connection, ConsumerOptions options, MessageHandler handler) {
        this.connection = connection;
        this.options = options;
        this.handler = java.util.Objects.requireNonNull(handler, "handler");
        this.autoAck = options.ackMode() == AckMode.AUTO;
        SerializerRegistry registry = connection.serializers();
        this.accept = options.accept().stream().map(registry::contentTypeOf).collect(Collectors.toUnmodifiableSet());
        this.handlerRetry = options.handlerRetry().toBuilder()
                .retryOn(e -> e instanceof HandlerFailure f && f.retryable).build();
    }

    @Override
    public void start() {
        lock.lock();
        try {
            if (active) {
                return;
            }
            connection.ensureOpen();
            List<String> names = new ArrayList<>();
            for (Queue queue : options.queues()) {
                names.add(options.declare() ? connection.declare(queue).name() : queue.name());
            }
            active = true;
            try {
                for (String name : names) {
                    subscriptions.add(connection.transport().subscribe(name,
                            new SubscribeOptions(options.prefetch(), autoAck, options.exclusive(), null, Map.of()),
                            new Listener(name)));
                }
            } catch (RuntimeException e) {
                cancel();
                throw e;
            }
            queueNames.clear();
            queueNames.addAll(names);
            for (int i = 0; i < names.size(); i++) {
                declaredQueues.put(names.get(i), options.queues().get(i));
            }
            connection.register(this);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void cancel() {
        active = false;
        for (Subscription s : subscriptions) {
            try {
                s.cancel();
            } catch (RuntimeException e) {
                LOG.debug("cancelling subscription {} failed", s.consumerTag(), e);
            }
        }
        subscriptions.clear();
        connection.unregister(this);
    }

    /**
     * Waits until no handler of this consumer runs.
     *
     * @param timeout the bound
     * @return whether it became idle in time
     */
    public boolean awaitIdle(Duration timeout) {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            idleWaiters++;
            while (inFlight.get() > 0) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = idle.awaitNanos(nanos);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return inFlight.get() == 0;
        } finally {
            idleWaiters--;
            lock.unlock();
        }
    }

    @Override
    public boolean isActive() {
        return active && subscriptions.stream().anyMatch(Subscription::isActive);
    }

    @Override
    public List<String> queueNames() {
        return List.copyOf(queueNames);
    }

    @Override
    public ConsumerOptions options() {
        return options;
    }

    @Override
    public void close() {
        cancel();
    }

    private boolean accepted(String contentType) {
        if (contentType == null) {
            return true;
        }
        if (contentType.equals(lastAccepted)) {
            return true;
        }
        String normalized = SerializerRegistry.normalize(contentType);
        boolean ok = accept.isEmpty() ? connection.serializers().knows(normalized) : accept.contains(normalized);
        if (ok) {
            lastAccepted = contentType;
        }
        return ok;
    }

    private void dispatch(String queue, Delivery delivery) {
        if (!active) {
            // Prefetched after cancel: give it back rather than start work we were told to stop.
            if (!autoAck) {
                delivery.reject(true);
            }
            return;
        }
        DefaultMessage message = new DefaultMessage(delivery, connection.serializers(), autoAck);
        long max = options.maxBodySize();
        if (max > 0 && message.body().length > max) {
            refuse(queue, message, new MessageTooLargeException("body of " + message.body().length
                    + " bytes is larger than this consumer's maximum of " + max));
            return;
        }
        String contentType = message.contentType();
        if (!accepted(contentType)) {
            refuse(queue, message, new ContentDisallowedException("content type '" + contentType
                    + "' is not accepted by this consumer (accepts " + (accept.isEmpty()
                    ? connection.serializers().contentTypes() : accept) + ")"));
            return;
        }
        inFlight.incrementAndGet();
        try {
            handle(queue, message);
        } finally {
            // The waiter registers before it reads inFlight and this reads idleWaiters after the
            // decrement, so one of the two sees the other; the signal goes under the lock, so a
            // waiter between its check and its await cannot miss it.
            if (inFlight.decrementAndGet() == 0 && idleWaiters > 0) {
                lock.lock();
                try {
                    idle.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    private void handle(String queue, DefaultMessage message) {
        try {
            if (handlerRetry.maxAttempts() == 1) {
                runHandler(message);
            } else {
                handlerRetry.run("handler of " + this + " on " + message, () -> runHandler(message));
            }
        } catch (HandlerFailure f) {
            Throwable e = f.getCause();
            if (e instanceof DecodeException || e instanceof ContentDisallowedException) {
                refuse(queue, message, (io.seedmq.messaging.MessagingException) e);
            } else if (autoAck || message.isSettled()) {
                LOG.error("handler failed on {}", message, e);
            } else if (!active && handlerRetry.maxAttempts() > 1) {
                LOG.warn("handler failed on {} while the consumer stops; requeued for redelivery: {}", message,
                        e.toString());
                settleQuietly(message, true);
            } else {
                LOG.error("handler failed on {}{}; rejecting it without requeue (dead-lettered)", message,
                        handlerRetry.maxAttempts() > 1 ? " " + handlerRetry.maxAttempts() + " times" : "", e);
                deadLetter(queue, message, e);
            }
        } catch (RuntimeException e) {
            // The retry's wait was interrupted: leave the message to be redelivered.
            LOG.warn("handler retry on {} interrupted; requeued for redelivery", message);
            if (!autoAck && !message.isSettled()) {
                settleQuietly(message, true);
            }
        }
    }

    private void runHandler(DefaultMessage message) {
        try {
            handler.handle(message);
        } catch (Exception | Error e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            boolean poison = e instanceof DecodeException || e instanceof ContentDisallowedException;
            throw new HandlerFailure(e, !poison && !autoAck && !message.isSettled() && active);
        }
    }

    private void refuse(String queue, DefaultMessage message, io.seedmq.messaging.MessagingException error) {
        if (!autoAck && !message.isSettled()) {
            deadLetter(queue, message, error);
        }
        try {
            options.decodeErrorHandler().onDecodeError(message, error);
        } catch (RuntimeException e) {
            LOG.error("decode error handler failed for {}", message, e);
        }
    }

    /**
     * Settles a message that failed for good. With {@link ConsumerOptions#deadLetterWithCause()}, when its queue was declared with a dead-letter exchange,
     * a copy with the cause in its headers is published there and confirmed before the original is
     * acked (at-least-once: a crash in between leaves both); otherwise, or when that publish fails,
     * the original is rejected without requeue and the broker dead-letters it (without the cause).
     */
    private void deadLetter(String queue, DefaultMessage message, Throwable cause) {
        Queue declared = options.deadLetterWithCause() ? declaredQueues.get(queue) : null;
        Object dlx = declared == null ? null : declared.arguments().get(Queue.X_DEAD_LETTER_EXCHANGE);
        if (dlx != null) {
            Object key = declared.arguments().get(Queue.X_DEAD_LETTER_ROUTING_KEY);
            Map<String, Object> headers = new LinkedHashMap<>();
            headers.put(X_EXCEPTION_CLASS, cause.getClass().getName());
            headers.put(X_EXCEPTION_MESSAGE, truncate(String.valueOf(cause.getMessage())));
            headers.put(X_ORIGINAL_EXCHANGE, message.exchange());
            headers.put(X_ORIGINAL_ROUTING_KEY, message.routingKey());
            headers.put(X_ORIGINAL_QUEUE, queue);
            // The copy starts afresh in the dead-letter queue: the original's TTL does not follow it, as with RabbitMQ's own dead-lettering.
            MessageProperties properties = message.properties().toBuilder().headers(headers).expiration(null).build();
            OutboundMessage copy = new OutboundMessage(dlx.toString(),
                    key != null ? key.toString() : message.routingKey(), properties, message.body(), false);
            try {
                Futures.await(connection.transport().publish(copy),
                        connection.options().operationTimeout().plus(Duration.ofSeconds(1)),
                        "dead-letter " + message + " to '" + dlx + "'");
                message.ack();
                return;
            } catch (RuntimeException e) {
                LOG.warn("could not publish {} to its dead-letter exchange '{}' ({}); rejecting it without requeue",
                        message, dlx, e.toString());
            }
        }
        settleQuietly(message, false);
    }

    private static String truncate(String text) {
        return text.length() <= MAX_HEADER_TEXT ? text : text.substring(0, MAX_HEADER_TEXT) + "...";
    }

    private static void settleQuietly(DefaultMessage message, boolean requeue) {
        try {
            if (requeue) {
                message.requeue();
            } else {
                message.reject();
            }
        } catch (RuntimeException e) {
            LOG.debug("could not settle {}", message, e);
        }
    }

    @Override
    public String toString() {
        return "Consumer" + (queueNames.isEmpty() ? options.queues().stream().map(Queue::name).toList() : queueNames);
    }

    /** A handler's failure on its way through the retry, with whether running it again may help. */
    private static final class HandlerFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient boolean retryable;

        HandlerFailure(Throwable cause, boolean retryable) {
            super(cause.toString(), cause, false, false);
            this.retryable = retryable;
        }
    }

    private final class Listener implements DeliveryListener {
        private final String queue;

        Listener(String queue) {
            this.queue = queue;
        }

        @Override
        public void onDelivery(Delivery delivery) {
            dispatch(queue, delivery);
        }

        @Override
        public void onCancelledByBroker() {
            try {
                options.cancelHandler().onCancelledByBroker(queue);
            } catch (RuntimeException e) {
                LOG.error("cancel handler failed for queue {}", queue, e);
            }
        }
    }
}
