package io.seedmq.messaging.test;

import io.seedmq.messaging.Binding;
import io.seedmq.messaging.ConnectionListener;
import io.seedmq.messaging.Exchange;
import io.seedmq.messaging.Queue;
import io.seedmq.messaging.QueueInfo;
import io.seedmq.messaging.spi.Delivery;
import io.seedmq.messaging.spi.DeliveryListener;
import io.seedmq.messaging.spi.OutboundMessage;
import io.seedmq.messaging.spi.SubscribeOptions;
import io.seedmq.messaging.spi.Subscription;
import io.seedmq.messaging.spi.TransportCapability;
import io.seedmq.messaging.spi.TransportConnection;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A transport connection that tells its {@link TestScope} the name of every queue and exchange
 * declared through it, and otherwise passes every call to the real one. Exclusive queues are not
 * told: they vanish with their connection.
 */
final class TrackingTransport implements TransportConnection {

    private final TransportConnection delegate;
    private final TestScope scope;

    TrackingTransport(TransportConnection delegate, TestScope scope) {
        this.delegate = delegate;
        this.scope = scope;
    }

    @Override
    public Set<TransportCapability> capabilities() {
        return delegate.capabilities();
    }

    @Override
    public void declareExchange(Exchange exchange) {
        delegate.declareExchange(exchange);
        scope.declaredExchange(exchange.name());
    }

    @Override
    public void checkExchange(String name) {
        delegate.checkExchange(name);
    }

    @Override
    public void deleteExchange(String name, boolean ifUnused) {
        delegate.deleteExchange(name, ifUnused);
    }

    @Override
    public QueueInfo declareQueue(Queue queue) {
        QueueInfo info = delegate.declareQueue(queue);
        if (!queue.exclusive()) {
            scope.declaredQueue(info.name());
        }
        return info;
    }

    @Override
    public QueueInfo checkQueue(String name) {
        return delegate.checkQueue(name);
    }

    @Override
    public long deleteQueue(String name, boolean ifUnused, boolean ifEmpty) {
        return delegate.deleteQueue(name, ifUnused, ifEmpty);
    }

    @Override
    public long purgeQueue(String name) {
        return delegate.purgeQueue(name);
    }

    @Override
    public void bind(String queue, Binding binding) {
        delegate.bind(queue, binding);
    }

    @Override
    public void unbind(String queue, Binding binding) {
        delegate.unbind(queue, binding);
    }

    @Override
    public CompletableFuture<Void> publish(OutboundMessage message) {
        return delegate.publish(message);
    }

    @Override
    public Optional<Delivery> get(String queue, boolean autoAck) {
        return delegate.get(queue, autoAck);
    }

    @Override
    public Subscription subscribe(String queue, SubscribeOptions options, DeliveryListener listener) {
        return delegate.subscribe(queue, options, listener);
    }

    @Override
    public void addListener(ConnectionListener listener) {
        delegate.addListener(listener);
    }

    @Override
    public void removeListener(ConnectionListener listener) {
        delegate.removeListener(listener);
    }

    @Override
    public int unconfirmedPublishes() {
        return delegate.unconfirmedPublishes();
    }

    @Override
    public java.util.Optional<String> serverVersion() {
        return delegate.serverVersion();
    }

    @Override
    public boolean isOpen() {
        return delegate.isOpen();
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
