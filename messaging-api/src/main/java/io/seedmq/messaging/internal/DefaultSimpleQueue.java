package io.seedmq.messaging.internal;

import io.seedmq.messaging.AckMode;
import io.seedmq.messaging.EmptyQueueException;
import io.seedmq.messaging.Exchange;
import io.seedmq.messaging.ExchangeType;
import io.seedmq.messaging.Message;
import io.seedmq.messaging.Publish;
import io.seedmq.messaging.Queue;
import io.seedmq.messaging.SimpleQueue;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * kombu's SimpleQueue and SimpleBuffer. A get is the transport's waiting get
 * ({@link io.seedmq.messaging.spi.TransportConnection#get(String, boolean, Duration)}): nothing is
 * ever buffered client-side (processes share a queue fairly), and a caller holding unacknowledged
 * messages is never blocked by a prefetch limit.
 */
final class DefaultSimpleQueue implements SimpleQueue {

    /** A SimpleBuffer's queue goes after this long unused; see {@link #buffer}. */
    static final Duration BUFFER_EXPIRY = Duration.ofMinutes(30);

    private final DefaultConnection connection;
    private final Queue queue;
    private final Publish publish;
    private final boolean buffer;
    private final AtomicBoolean closed = new AtomicBoolean();

    private DefaultSimpleQueue(DefaultConnection connection, Exchange exchange, Queue queue, boolean buffer) {
        this.connection = connection;
        this.queue = queue;
        this.buffer = buffer;
        this.publish = Publish.to(exchange).routingKey(queue.name()).persistent(!buffer).declare(queue);
        connection.declareOnce(queue, connection.options().retryPolicy());
    }

    static DefaultSimpleQueue queue(DefaultConnection connection, String name) {
        Exchange exchange = Exchange.direct(requireName(name));
        return new DefaultSimpleQueue(connection, exchange,
                Queue.builder(name).bind(exchange, name).build(), false);
    }

    /**
     * kombu declares a SimpleBuffer's queue auto-delete, which works there because its consumer
     * lives as long as the buffer. Ours subscribes per get, so auto-delete would drop the queue
     * after the first get; an expiry of {@link #BUFFER_EXPIRY} unused cleans it up instead. The
     * queue is durable (its messages are not): kombu's transient, non-exclusive queue is refused by
     * RabbitMQ 4.3, and an exclusive one would not outlive a reconnection.
     */
    static DefaultSimpleQueue buffer(DefaultConnection connection, String name) {
        Exchange exchange = Exchange.builder(requireName(name), ExchangeType.DIRECT).durable(false).build();
        return new DefaultSimpleQueue(connection, exchange,
                Queue.builder(name).durable(true).expires(BUFFER_EXPIRY).bind(exchange, name).build(), true);
    }

    private static String requireName(String name) {
        if (Objects.requireNonNull(name, "name").isEmpty()) {
            throw new IllegalArgumentException("a simple queue needs a name");
        }
        return name;
    }

    @Override
    public String name() {
        return queue.name();
    }

    @Override
    public void put(Object payload) {
        ensureOpen();
        // The template itself, not an equal copy: the producer remembers the last template it
        // stamped and declared, by identity, so a copy per put would re-stamp and re-declare each time.
        connection.producer().publish(payload, publish);
    }

    @Override
    public void put(Object payload, Publish options) {
        ensureOpen();
        // A buffer's messages are transient whatever the options say, as kombu's.
        Publish target = publish.properties(options.properties()).persistent(!buffer && options.properties().persistent());
        if (options.serializer() != null) {
            target = target.serializer(options.serializer());
        }
        if (options.contentType() != null) {
            target = target.contentType(options.contentType(), options.properties().contentEncoding());
        }
        connection.producer().publish(payload, target);
    }

    @Override
    public Message get(Duration timeout) {
        ensureOpen();
        return connection.get(queue.name(), ackMode(), timeout).orElseThrow(() -> empty(timeout));
    }

    @Override
    public Message getNowait() {
        ensureOpen();
        return connection.get(queue.name(), ackMode()).orElseThrow(() -> empty(Duration.ZERO));
    }

    private AckMode ackMode() {
        return buffer ? AckMode.AUTO : AckMode.MANUAL;
    }

    private EmptyQueueException empty(Duration timeout) {
        return new EmptyQueueException("queue '" + queue.name() + "' is empty"
                + (timeout.isZero() ? "" : " after waiting " + timeout));
    }

    @Override
    public long clear() {
        ensureOpen();
        return connection.purge(queue.name());
    }

    @Override
    public long size() {
        ensureOpen();
        return connection.queueInfo(queue.name()).messageCount();
    }

    @Override
    public void close() {
        closed.set(true);
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("simple queue '" + queue.name() + "' is closed");
        }
    }

    @Override
    public String toString() {
        return (buffer ? "SimpleBuffer[" : "SimpleQueue[") + queue.name() + "]";
    }
}
