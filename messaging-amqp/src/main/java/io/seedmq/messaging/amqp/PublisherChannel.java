package io.seedmq.messaging.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.seedmq.messaging.ConnectionException;
import io.seedmq.messaging.OperationTimeoutException;
import io.seedmq.messaging.spi.OutboundMessage;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One publishing channel, in confirm mode or (for {@link io.seedmq.messaging.Publish#confirm(boolean)
 * unconfirmed} publishes) not, and the lock that serialises its use.
 *
 * <p>amqp-client channels must not be shared by concurrent publishers: a publish is several frames
 * (method, header, body) and reading the next sequence number must be atomic with the publish it
 * numbers. A fixed pool of these, each behind a lock, keeps the channel count bounded however many
 * threads (or virtual threads) publish, which one channel per thread would not.
 *
 * <p>When the broker closes the channel (for example 404 on a missing exchange) it is replaced by a
 * fresh one on the next publish; while the connection itself is down it is left to amqp-client's
 * recovery, and publishes fail fast with {@link ConnectionException}.
 */
final class PublisherChannel {

    private final Connection connection;
    private final ScheduledExecutorService scheduler;
    private final Duration timeout;
    private final boolean confirms;
    private final ReentrantLock lock = new ReentrantLock();
    private Channel channel;
    /** Replaced under the lock; volatile, so {@link #unconfirmed()} may read it without. */
    private volatile ConfirmTracker tracker;

    /**
     * A pooled channel on {@code connection}, opened on first use and replaced when the broker closes it.
     *
     * @param confirms whether the channel is in confirm mode and its publishes complete on the confirm;
     *     otherwise they complete once written to the connection
     */
    PublisherChannel(Connection connection, ScheduledExecutorService scheduler, Duration timeout, boolean confirms) {
        this.connection = connection;
        this.scheduler = scheduler;
        this.timeout = timeout;
        this.confirms = confirms;
    }


    /** Takes the lock, waiting at most the operation timeout. */
    boolean lock(long timeoutNanos) throws InterruptedException {
        return lock.tryLock(timeoutNanos, TimeUnit.NANOSECONDS);
    }

    void unlock() {
        lock.unlock();
    }

    /** Publishes; the caller holds the lock. */
    CompletableFuture<Void> publishLocked(OutboundMessage message, AMQP.BasicProperties props) {
        try {
            ensureOpen();
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(AmqpErrors.translate(ConfirmTracker.describe(message), e));
        }
        if (confirms) {
            return tracker.publish(channel, message, props);
        }
        try {
            channel.basicPublish(message.exchange(), message.routingKey(), false, props, message.body());
            return CompletableFuture.completedFuture(null);
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(AmqpErrors.translate(ConfirmTracker.describe(message), e));
        }
    }

    private void ensureOpen() throws IOException {
        if (channel != null && channel.isOpen()) {
            return;
        }
        if (!connection.isOpen()) {
            throw new ConnectionException("connection to the broker is down; recovering");
        }
        Channel fresh = connection.createChannel();
        if (fresh == null) {
            throw new ConnectionException("the broker has no channel left for this connection");
        }
        if (confirms) {
            ConfirmTracker t = new ConfirmTracker(scheduler, timeout);
            t.attach(fresh);
            tracker = t;
        }
        channel = fresh;
    }

    /** @return publishes on this channel awaiting their confirm; read without the lock, so a moment's count */
    int unconfirmed() {
        ConfirmTracker t = tracker;
        return t == null ? 0 : t.outstanding();
    }

    static OperationTimeoutException lockTimeout(OutboundMessage message, Duration timeout) {
        return new OperationTimeoutException(ConfirmTracker.describe(message)
                + ": no publishing channel became free within " + timeout);
    }
}
