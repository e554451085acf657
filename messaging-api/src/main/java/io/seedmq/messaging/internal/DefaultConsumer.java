package io.seedmq.messaging.internal;

import io.seedmq.messaging.AckMode;
import io.seedmq.messaging.Consumer;
import io.seedmq.messaging.ConsumerOptions;
import io.seedmq.messaging.ContentDisallowedException;
import io.seedmq.messaging.DecodeException;
import io.seedmq.messaging.MessageHandler;
import io.seedmq.messaging.Queue;
import io.seedmq.messaging.serialization.SerializerRegistry;
import io.seedmq.messaging.spi.Delivery;
import io.seedmq.messaging.spi.DeliveryListener;
import io.seedmq.messaging.spi.SubscribeOptions;
import io.seedmq.messaging.spi.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link Consumer}: subscribes to each queue and runs the handler with kombu's error rules. */
public final class DefaultConsumer implements Consumer {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultConsumer.class);

    private final DefaultConnection connection;
    private final ConsumerOptions options;
    private final MessageHandler handler;
    private final boolean autoAck;
    private final Set<String> accept;
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final List<String> queueNames = new CopyOnWriteArrayList<>();
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

    private void dispatch(Delivery delivery) {
        if (!active) {
            // Prefetched after cancel: give it back rather than start work we were told to stop.
            if (!autoAck) {
                delivery.reject(true);
            }
            return;
        }
        DefaultMessage message = new DefaultMessage(delivery, connection.serializers(), autoAck);
        String contentType = message.contentType();
        if (!accepted(contentType)) {
            refuse(message, new ContentDisallowedException("content type '" + contentType
                    + "' is not accepted by this consumer (accepts " + (accept.isEmpty()
                    ? connection.serializers().contentTypes() : accept) + ")"));
            return;
        }
        inFlight.incrementAndGet();
        try {
            handler.handle(message);
        } catch (DecodeException | ContentDisallowedException e) {
            refuse(message, e);
        } catch (Exception | Error e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (!autoAck && !message.isSettled()) {
                LOG.error("handler failed on {}; rejecting it without requeue", message, e);
                settleQuietly(message, false);
            } else {
                LOG.error("handler failed on {}", message, e);
            }
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

    private void refuse(DefaultMessage message, io.seedmq.messaging.MessagingException error) {
        if (!autoAck && !message.isSettled()) {
            settleQuietly(message, false);
        }
        try {
            options.decodeErrorHandler().onDecodeError(message, error);
        } catch (RuntimeException e) {
            LOG.error("decode error handler failed for {}", message, e);
        }
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

    private final class Listener implements DeliveryListener {
        private final String queue;

        Listener(String queue) {
            this.queue = queue;
        }

        @Override
        public void onDelivery(Delivery delivery) {
            dispatch(delivery);
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
