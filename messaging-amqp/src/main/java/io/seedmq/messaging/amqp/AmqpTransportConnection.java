package io.seedmq.messaging.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BlockedListener;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import com.rabbitmq.client.ShutdownSignalException;
import io.seedmq.messaging.Binding;
import io.seedmq.messaging.ConnectionClosedException;
import io.seedmq.messaging.ConnectionException;
import io.seedmq.messaging.ConnectionListener;
import io.seedmq.messaging.ConnectionOptions;
import io.seedmq.messaging.ConsumerOptions;
import io.seedmq.messaging.Exchange;
import io.seedmq.messaging.MessageProperties;
import io.seedmq.messaging.MessagingException;
import io.seedmq.messaging.OperationTimeoutException;
import io.seedmq.messaging.Queue;
import io.seedmq.messaging.QueueInfo;
import io.seedmq.messaging.spi.Delivery;
import io.seedmq.messaging.spi.DeliveryInfo;
import io.seedmq.messaging.spi.DeliveryListener;
import io.seedmq.messaging.spi.OutboundMessage;
import io.seedmq.messaging.spi.SubscribeOptions;
import io.seedmq.messaging.spi.Subscription;
import io.seedmq.messaging.spi.ThreadFactories;
import io.seedmq.messaging.spi.TransportCapability;
import io.seedmq.messaging.spi.TransportConnection;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TransportConnection} on two amqp-client connections: one only publishes, the other
 * consumes and declares. RabbitMQ blocks a connection that publishes during a resource alarm; keeping
 * consumers off it means they go on draining queues, which is what clears the alarm.
 *
 * <p>Channels: a small pool of publishing channels in confirm mode (see {@link PublisherChannel}), and
 * one of channels without it for unconfirmed publishes (opened on their first use);
 * one declaring channel and one {@code basic.get} channel, each behind a lock; one channel per
 * subscription. A channel the broker closes with a channel-level error (404, 403, 405, 406) fails
 * only the operation that caused it and is replaced on next use; the connection goes on.
 *
 * <p>Recovery is amqp-client's, with topology recovery: exchanges, queues, bindings and consumers
 * declared through this connection come back by themselves after a network failure. A consumer it
 * fails to recover (on a cluster: a classic queue whose home node is down) ends its subscription,
 * whose listener is told ({@link DeliveryListener#onSubscriptionLost}), so its owner subscribes
 * again. A subscription reading a stream from an offset (an {@code x-stream-offset} argument) is not
 * recovered by amqp-client, which would read again from that first offset: it ends once the
 * connection is back, the same way, and its owner subscribes again from where it got to. This class
 * only reports the connection's own recovery: {@link ConnectionListener#onConnectionLost} when either connection drops,
 * {@link ConnectionListener#onRecovered} once both are back. Server-named queues get a new name from
 * the broker on recovery.
 */
final class AmqpTransportConnection implements TransportConnection {

    private static final Logger LOG = LoggerFactory.getLogger(AmqpTransportConnection.class);

    private final ConnectionOptions options;
    private final Duration timeout;
    private final Connection publishConnection;
    private final Connection consumeConnection;
    private final ScheduledExecutorService scheduler;
    private final List<PublisherChannel> publishers;
    private final List<PublisherChannel> unconfirmedPublishers;
    private final ReentrantLock declareLock = new ReentrantLock();
    private Channel declareChannel;
    private final ReentrantLock getLock = new ReentrantLock();
    private Channel getChannel;
    private final Set<AmqpSubscription> subscriptions = ConcurrentHashMap.newKeySet();
    private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
    private final Set<Connection> down = new HashSet<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Written before {@link #closed} is set, read after it is seen set. */
    private volatile boolean closedByApplication;
    /** The last properties converted for a publish, reused while publishes share the same object. */
    private volatile ConvertedProperties lastProperties;
    private volatile CompletableFuture<Void> unblocked = CompletableFuture.completedFuture(null);

    private AmqpTransportConnection(ConnectionOptions options, Connection publishConnection,
                                    Connection consumeConnection) {
        this.options = options;
        this.timeout = options.operationTimeout();
        this.publishConnection = publishConnection;
        this.consumeConnection = consumeConnection;
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1,
                ThreadFactories.factory(options.threadFactory(), "amqp-timer"));
        // Confirms usually beat their timeout: drop cancelled timers instead of keeping them queued.
        timers.setRemoveOnCancelPolicy(true);
        this.scheduler = timers;
        int poolSize = publisherChannels(options);
        List<PublisherChannel> pool = new ArrayList<>(poolSize);
        List<PublisherChannel> unconfirmedPool = new ArrayList<>(poolSize);
        for (int i = 0; i < poolSize; i++) {
            pool.add(new PublisherChannel(publishConnection, scheduler, timeout, true));
            unconfirmedPool.add(new PublisherChannel(publishConnection, scheduler, timeout, false));
        }
        this.publishers = List.copyOf(pool);
        this.unconfirmedPublishers = List.copyOf(unconfirmedPool);
        watch(publishConnection);
        watch(consumeConnection);
        publishConnection.addBlockedListener(new BlockedListener() {
            @Override
            public void handleBlocked(String reason) {
                blocked(reason);
            }

            @Override
            public void handleUnblocked() {
                unblocked();
            }
        });
    }

    /**
     * Opens both amqp-client connections.
     *
     * @throws io.seedmq.messaging.AuthenticationException when the broker refuses the credentials or virtual host
     * @throws ConnectionException when no host could be reached within the bound
     */
    static AmqpTransportConnection open(ConnectionOptions options) {
        RecoveryFailures failures = new RecoveryFailures();
        ConsumerRecoveryFilter recoveryFilter = new ConsumerRecoveryFilter();
        AmqpConnector connector = new AmqpConnector(options, failures, recoveryFilter);
        Connection publish = connector.open("publish");
        Connection consume;
        try {
            consume = connector.open("consume");
        } catch (RuntimeException e) {
            closeQuietly(publish);
            throw e;
        }
        AmqpTransportConnection connection = new AmqpTransportConnection(options, publish, consume);
        failures.onChannelLost(connection::notRecovered);
        recoveryFilter.refuse(connection::readsStream);
        return connection;
    }

    /** @return whether the channel carries a subscription reading a stream from an offset, which amqp-client must not recover */
    private boolean readsStream(Channel channel) {
        for (AmqpSubscription sub : subscriptions) {
            if (sub.channel() == channel) {
                return sub.readsStream();
            }
        }
        return false;
    }

    /**
     * The consuming connection is back, without the stream readers amqp-client was told not to
     * recover: each ends, and its listener is told, so its owner subscribes again from the offset
     * after the last message it was delivered.
     */
    private void streamReadersLost() {
        for (AmqpSubscription sub : subscriptions) {
            if (sub.readsStream() && sub.isActive()) {
                sub.lost(new ConnectionException("the connection was recovered; the stream consumer of queue '"
                        + sub.queue() + "' subscribes again from where it got to, not from its first offset"), true);
            }
        }
    }

    /**
     * amqp-client could not recover something declared or consumed on this channel: when it carries
     * a subscription, that subscription ends (its consumer is not on the broker any more) and its
     * listener is told, so its owner subscribes again.
     */
    private void notRecovered(Channel channel, Throwable cause) {
        for (AmqpSubscription sub : subscriptions) {
            if (sub.channel() == channel) {
                sub.lost(AmqpErrors.translate("recover the consumer of queue '" + sub.queue() + "'", cause), true);
            }
        }
    }

    private static int publisherChannels(ConnectionOptions options) {
        String configured = options.parameters().get("publisher_channels");
        if (configured != null) {
            try {
                return Math.max(1, Integer.parseInt(configured));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("publisher_channels is not a number: " + configured, e);
            }
        }
        // A few channels let concurrent publishers proceed in parallel; more buys nothing, a
        // connection's frames share one socket.
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }

    @Override
    public Set<TransportCapability> capabilities() {
        EnumSet<TransportCapability> caps = EnumSet.of(TransportCapability.PUBLISHER_CONFIRMS,
                TransportCapability.PERSISTENCE);
        if (options.automaticRecovery()) {
            caps.add(TransportCapability.AUTOMATIC_RECOVERY);
        }
        return caps;
    }


    @Override
    public void declareExchange(Exchange exchange) {
        if (exchange.isDefault()) {
            throw new IllegalArgumentException("the default exchange cannot be declared");
        }
        declaring("declare exchange '" + exchange.name() + "'", ch -> ch.exchangeDeclare(exchange.name(),
                exchange.type().amqpName(), exchange.durable(), exchange.autoDelete(),
                AmqpProperties.toTable(exchange.arguments(), "argument")));
    }

    @Override
    public void checkExchange(String name) {
        if (!name.isEmpty()) {
            declaring("check exchange '" + name + "'", ch -> ch.exchangeDeclarePassive(name));
        }
    }

    @Override
    public void deleteExchange(String name, boolean ifUnused) {
        declaring("delete exchange '" + name + "'", ch -> ch.exchangeDelete(name, ifUnused));
    }

    @Override
    public QueueInfo declareQueue(Queue queue) {
        AMQP.Queue.DeclareOk ok = declaring("declare queue '" + queue.name() + "'", ch -> ch.queueDeclare(
                queue.name(), queue.durable(), queue.exclusive(), queue.autoDelete(),
                AmqpProperties.toTable(queue.arguments(), "argument")));
        return new QueueInfo(ok.getQueue(), ok.getMessageCount(), ok.getConsumerCount());
    }

    @Override
    public QueueInfo checkQueue(String name) {
        AMQP.Queue.DeclareOk ok = declaring("check queue '" + name + "'", ch -> ch.queueDeclarePassive(name));
        return new QueueInfo(ok.getQueue(), ok.getMessageCount(), ok.getConsumerCount());
    }

    @Override
    public long deleteQueue(String name, boolean ifUnused, boolean ifEmpty) {
        return declaring("delete queue '" + name + "'", ch -> ch.queueDelete(name, ifUnused, ifEmpty))
                .getMessageCount();
    }

    @Override
    public long purgeQueue(String name) {
        return declaring("purge queue '" + name + "'", ch -> ch.queuePurge(name)).getMessageCount();
    }

    @Override
    public void bind(String queue, Binding binding) {
        declaring("bind queue '" + queue + "' to exchange '" + binding.exchange().name() + "'",
                ch -> ch.queueBind(queue, binding.exchange().name(), binding.routingKey(),
                        AmqpProperties.toTable(binding.arguments(), "argument")));
    }

    @Override
    public void unbind(String queue, Binding binding) {
        declaring("unbind queue '" + queue + "' from exchange '" + binding.exchange().name() + "'",
                ch -> ch.queueUnbind(queue, binding.exchange().name(), binding.routingKey(),
                        AmqpProperties.toTable(binding.arguments(), "argument")));
    }

    /** A broker round trip on a channel. */
    @FunctionalInterface
    private interface ChannelCall<T> {
        T call(Channel channel) throws IOException;
    }

    /**
     * Runs one declaration on the declaring channel. A channel-level error has already closed that
     * channel on the broker side; the next call opens a fresh one. A timeout leaves a late reply in
     * flight that would be taken for the next call's, so the channel is dropped then too.
     */
    private <T> T declaring(String what, ChannelCall<T> call) {
        ensureOpen();
        lockOrTimeout(declareLock, what);
        try {
            Channel ch = declareChannel;
            if (ch == null || !ch.isOpen()) {
                ch = declareChannel = newChannel(what);
            }
            try {
                return call.call(ch);
            } catch (IOException | ShutdownSignalException e) {
                MessagingException failure = AmqpErrors.translate(what, e);
                if (failure instanceof OperationTimeoutException) {
                    abortQuietly(ch);
                }
                throw failure;
            }
        } finally {
            declareLock.unlock();
        }
    }

    private Channel newChannel(String what) {
        if (!consumeConnection.isOpen()) {
            throw new ConnectionException(what + ": connection to the broker is down"
                    + (options.automaticRecovery() ? "; recovering" : ""));
        }
        try {
            Channel ch = consumeConnection.createChannel();
            if (ch == null) {
                throw new ConnectionException(what + ": the broker has no channel left for this connection");
            }
            return ch;
        } catch (IOException | ShutdownSignalException e) {
            throw AmqpErrors.translate(what, e);
        }
    }

    private void lockOrTimeout(ReentrantLock lock, String what) {
        try {
            if (!lock.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new OperationTimeoutException(what + ": channel busy for longer than " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MessagingException(what + ": interrupted", e);
        }
    }


    /**
     * {@inheritDoc}
     *
     * <p>While the broker blocks publishers (a resource alarm) this waits for it to unblock, at most
     * the operation timeout, before failing with {@link OperationTimeoutException}: the alarm is
     * RabbitMQ's back-pressure, and passing it on to the caller is its purpose.
     */
    @Override
    public CompletableFuture<Void> publish(OutboundMessage message) {
        if (closed.get()) {
            return CompletableFuture.failedFuture(closedError(ConfirmTracker.describe(message)));
        }
        AMQP.BasicProperties props;
        try {
            props = amqpProperties(message.properties());
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!awaitUnblocked(timeout.toNanos())) {
                return CompletableFuture.failedFuture(new OperationTimeoutException(ConfirmTracker.describe(message)
                        + ": the broker blocked publishers for longer than " + timeout));
            }
            // A thread always publishes on the same channel: RabbitMQ keeps order per channel, so
            // what one thread publishes (async included) reaches a queue in the order it was sent.
            List<PublisherChannel> pool = message.confirm() ? publishers : unconfirmedPublishers;
            int index = (int) Math.floorMod(Thread.currentThread().getId(), (long) pool.size());
            return publishOn(pool.get(index), message, props, deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(new MessagingException(
                    ConfirmTracker.describe(message) + ": interrupted", e));
        } catch (MessagingException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * @return the properties as amqp-client writes them; the last conversion is kept, since most
     *     publishes reuse their template's properties object (amqp-client never changes them)
     */
    private AMQP.BasicProperties amqpProperties(MessageProperties p) {
        ConvertedProperties last = lastProperties;
        if (last != null && last.source() == p) {
            return last.amqp();
        }
        AMQP.BasicProperties amqp = AmqpProperties.toAmqp(p);
        lastProperties = new ConvertedProperties(p, amqp);
        return amqp;
    }

    /** One conversion of seedmq's properties to amqp-client's. */
    private record ConvertedProperties(MessageProperties source, AMQP.BasicProperties amqp) {
    }

    private CompletableFuture<Void> publishOn(PublisherChannel pc, OutboundMessage message,
                                              AMQP.BasicProperties props, long deadline) throws InterruptedException {
        if (!pc.lock(Math.max(0, deadline - System.nanoTime()))) {
            return CompletableFuture.failedFuture(PublisherChannel.lockTimeout(message, timeout));
        }
        return publishLocked(pc, message, props);
    }

    private static CompletableFuture<Void> publishLocked(PublisherChannel pc, OutboundMessage message,
                                                         AMQP.BasicProperties props) {
        try {
            return pc.publishLocked(message, props);
        } finally {
            pc.unlock();
        }
    }

    private boolean awaitUnblocked(long nanos) throws InterruptedException {
        CompletableFuture<Void> gate = unblocked;
        if (gate.isDone()) {
            return true;
        }
        try {
            gate.get(nanos, TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }

    private void blocked(String reason) {
        if (unblocked.isDone()) {
            unblocked = new CompletableFuture<>();
        }
        LOG.warn("broker blocked publishing on {}: {}", options.redactedUrl(), reason);
        listeners.forEach(l -> notify(l, x -> x.onBlocked(reason)));
    }

    private void unblocked() {
        unblocked.complete(null);
        LOG.info("broker unblocked publishing on {}", options.redactedUrl());
        listeners.forEach(l -> notify(l, ConnectionListener::onUnblocked));
    }


    /**
     * {@inheritDoc}
     *
     * <p>Basic get needs the queue to exist: a 404 would close the get channel and with it requeue
     * every message fetched but not yet settled, so the queue is first checked (passively) on the
     * declaring channel. The returned delivery settles on the get channel.
     */
    @Override
    public Optional<Delivery> get(String queue, boolean autoAck) {
        checkQueue(queue);
        String what = "get from queue '" + queue + "'";
        lockOrTimeout(getLock, what);
        try {
            Channel ch = getChannel;
            if (ch == null || !ch.isOpen()) {
                ch = getChannel = newChannel(what);
            }
            GetResponse response = ch.basicGet(queue, autoAck);
            if (response == null) {
                return Optional.empty();
            }
            DeliveryInfo info = new DeliveryInfo(response.getEnvelope().getExchange(),
                    response.getEnvelope().getRoutingKey(), response.getEnvelope().isRedeliver(), null,
                    response.getEnvelope().getDeliveryTag(), queue);
            return Optional.of(new AmqpDelivery(ch, response.getBody(), AmqpProperties.fromAmqp(response.getProps()),
                    info, () -> { }));
        } catch (IOException | ShutdownSignalException e) {
            throw AmqpErrors.translate(what, e);
        } finally {
            getLock.unlock();
        }
    }

    @Override
    public Subscription subscribe(String queue, SubscribeOptions subscribe, DeliveryListener listener) {
        ensureOpen();
        String what = "subscribe to queue '" + queue + "'";
        Channel ch = newChannel(what);
        AmqpSubscription sub = new AmqpSubscription(ch, queue, subscribe.autoAck(),
                subscribe.arguments().containsKey(ConsumerOptions.X_STREAM_OFFSET), listener, scheduler,
                subscriptions::remove);
        try {
            if (!subscribe.autoAck() && subscribe.prefetch() > 0) {
                // global=false: RabbitMQ applies the limit to each new consumer on the channel.
                ch.basicQos(subscribe.prefetch(), false);
            }
            subscriptions.add(sub);
            String tag = ch.basicConsume(queue, subscribe.autoAck(),
                    subscribe.consumerTag() == null ? "" : subscribe.consumerTag(), false, subscribe.exclusive(),
                    AmqpProperties.toTable(subscribe.arguments(), "consumer argument"), sub.consumer());
            sub.started(tag);
            return sub;
        } catch (IOException | ShutdownSignalException e) {
            subscriptions.remove(sub);
            abortQuietly(ch);
            throw AmqpErrors.translate(what, e);
        }
    }


    private void watch(Connection connection) {
        connection.addShutdownListener(cause -> connectionDown(connection, cause));
        if (connection instanceof Recoverable recoverable) {
            recoverable.addRecoveryListener(new RecoveryListener() {
                @Override
                public void handleRecovery(Recoverable r) {
                    connectionRecovered(connection);
                }

                @Override
                public void handleRecoveryStarted(Recoverable r) {
                    LOG.debug("recovering connection to {}", options.redactedUrl());
                }
            });
        }
    }

    private void connectionDown(Connection connection, ShutdownSignalException cause) {
        if (cause.isInitiatedByApplication() || closed.get()) {
            return;
        }
        if (connection == publishConnection) {
            // A new connection starts unblocked; waiting publishers fail fast on the closed channel instead.
            unblocked.complete(null);
        }
        LOG.warn("connection to {} lost: {}", options.redactedUrl(), AmqpErrors.replyText(cause));
        // Told under the lock, so a recovery on another thread is never told before the loss it ends.
        synchronized (down) {
            boolean first = down.isEmpty();
            down.add(connection);
            if (first) {
                listeners.forEach(l -> notify(l, x -> x.onConnectionLost(cause)));
            }
        }
        if (!options.automaticRecovery()) {
            // Nothing will bring it back: release the other connection too; the owner reconnects.
            shutdown(false);
        }
    }

    private void connectionRecovered(Connection connection) {
        LOG.info("connection to {} recovered", options.redactedUrl());
        if (connection == consumeConnection && !closed.get()) {
            // Before the connection's listeners hear of the recovery, so a service is not RUNNING in between.
            streamReadersLost();
        }
        synchronized (down) {
            if (down.remove(connection) && down.isEmpty() && !closed.get()) {
                listeners.forEach(l -> notify(l, ConnectionListener::onRecovered));
            }
        }
    }

    private static void notify(ConnectionListener listener, Consumer<ConnectionListener> event) {
        try {
            event.accept(listener);
        } catch (RuntimeException e) {
            LOG.warn("connection listener {} threw", listener, e);
        }
    }

    @Override
    public void addListener(ConnectionListener listener) {
        listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void removeListener(ConnectionListener listener) {
        listeners.remove(listener);
    }

    /**
     * {@inheritDoc}
     *
     * <p>With automatic recovery a connection being recovered still counts as open: operations fail
     * with {@link ConnectionException} until it is back.
     */
    @Override
    public int unconfirmedPublishes() {
        int sum = 0;
        for (PublisherChannel publisher : publishers) {
            sum += publisher.unconfirmed();
        }
        return sum;
    }

    /** @return the {@code version} property the broker sent in {@code connection.start} */
    @Override
    public Optional<String> serverVersion() {
        Object version = consumeConnection.getServerProperties().get("version");
        return version == null ? Optional.empty() : Optional.of(version.toString());
    }

    @Override
    public boolean isOpen() {
        return !closed.get() && (options.automaticRecovery()
                || publishConnection.isOpen() && consumeConnection.isOpen());
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw closedError("connection to " + options.redactedUrl());
        }
    }

    /** @return the error for an operation on a closed connection: closed by the application, or lost for good */
    private ConnectionException closedError(String what) {
        return closedByApplication ? new ConnectionClosedException(what + ": the application closed the connection")
                : new ConnectionException(what + ": the connection was lost and could not be recovered");
    }

    @Override
    public void close() {
        shutdown(true);
    }

    private void shutdown(boolean byApplication) {
        if (closed.get()) {
            return;
        }
        closedByApplication = byApplication;
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        int bound = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        subscriptions.forEach(AmqpSubscription::connectionClosed);
        // Consumers first, so unacknowledged deliveries return to their queues promptly; closing a
        // connection fails its pending publishes through the channels' shutdown listeners.
        closeQuietly(consumeConnection, bound);
        closeQuietly(publishConnection, bound);
        subscriptions.clear();
        unblocked.complete(null);
        scheduler.shutdownNow();
        if (byApplication) {
            listeners.forEach(l -> notify(l, ConnectionListener::onClosed));
        }
    }

    private static void closeQuietly(Connection connection) {
        closeQuietly(connection, -1);
    }

    private static void closeQuietly(Connection connection, int timeoutMillis) {
        try {
            if (connection.isOpen()) {
                connection.close(timeoutMillis);
            } else {
                // Stops a recovering connection from coming back.
                connection.abort(timeoutMillis);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("closing connection {} failed", connection.getClientProvidedName(), e);
        }
    }

    private static void abortQuietly(Channel ch) {
        try {
            ch.abort();
        } catch (IOException | RuntimeException e) {
            LOG.debug("aborting channel {} failed", ch.getChannelNumber(), e);
        }
    }

    @Override
    public String toString() {
        return "AmqpTransportConnection[" + options.redactedUrl() + ", name=" + publishConnection.getClientProvidedName()
                .replace(" (publish)", "") + (closed.get() ? ", closed" : "") + "]";
    }
}
