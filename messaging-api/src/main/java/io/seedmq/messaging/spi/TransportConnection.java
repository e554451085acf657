package io.seedmq.messaging.spi;

import io.seedmq.messaging.Binding;
import io.seedmq.messaging.ConnectionListener;
import io.seedmq.messaging.Exchange;
import io.seedmq.messaging.Queue;
import io.seedmq.messaging.QueueInfo;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One logical connection to a broker. Thread-safe: every method may be called from any thread,
 * including from inside a {@link DeliveryListener}. Blocking methods are bounded by the options'
 * operation timeout and fail with {@link io.seedmq.messaging.OperationTimeoutException} past it.
 *
 * <p>A failed declaration (conflict, not found, access refused) fails only that call; the
 * connection and its other users go on.
 */
public interface TransportConnection extends AutoCloseable {

    /** @return the optional features this transport offers */
    Set<TransportCapability> capabilities();

    /**
     * Declares an exchange, creating it if absent.
     *
     * @param exchange the exchange; never the default exchange
     * @throws io.seedmq.messaging.DeclarationConflictException if it exists with other properties
     */
    void declareExchange(Exchange exchange);

    /**
     * Checks that an exchange exists (a passive declare).
     *
     * @param name exchange name
     * @throws io.seedmq.messaging.EntityNotFoundException if it does not
     */
    void checkExchange(String name);

    /**
     * Deletes an exchange (and its bindings). Deleting an absent exchange succeeds.
     *
     * @param name exchange name
     * @param ifUnused only if no queue is bound to it
     * @throws io.seedmq.messaging.DeclarationConflictException if {@code ifUnused} and it is in use
     */
    void deleteExchange(String name, boolean ifUnused);

    /**
     * Declares a queue, creating it if absent. Its {@link Queue#bindings()} are ignored here: the
     * API declares them with {@link #bind}.
     *
     * @param queue the queue; an empty name asks the broker for a server-named queue
     * @return the queue's actual name and counts
     * @throws io.seedmq.messaging.DeclarationConflictException if it exists with other properties
     * @throws io.seedmq.messaging.AccessRefusedException if it is exclusive to another connection
     */
    QueueInfo declareQueue(Queue queue);

    /**
     * Inspects a queue (a passive declare).
     *
     * @param name queue name
     * @return its counts
     * @throws io.seedmq.messaging.EntityNotFoundException if it does not exist
     */
    QueueInfo checkQueue(String name);

    /**
     * Deletes a queue; its messages are dropped, not dead-lettered. Deleting an absent queue succeeds with 0.
     *
     * @param name queue name
     * @param ifUnused only if it has no consumers
     * @param ifEmpty only if it holds no ready messages
     * @return how many messages it held
     * @throws io.seedmq.messaging.DeclarationConflictException if a condition does not hold
     */
    long deleteQueue(String name, boolean ifUnused, boolean ifEmpty);

    /**
     * Removes a queue's ready messages (not the delivered, unacknowledged ones).
     *
     * @param name queue name
     * @return how many were removed
     * @throws io.seedmq.messaging.EntityNotFoundException if it does not exist
     */
    long purgeQueue(String name);

    /**
     * Binds a queue to the binding's exchange, which must exist.
     *
     * @param queue queue name
     * @param binding exchange, routing key and arguments
     * @throws io.seedmq.messaging.EntityNotFoundException if the queue or exchange does not exist
     */
    void bind(String queue, Binding binding);

    /**
     * Removes a binding; removing an absent binding succeeds.
     *
     * @param queue queue name
     * @param binding the binding to remove
     */
    void unbind(String queue, Binding binding);

    /**
     * Publishes a message. Returns at once; the future completes when the transport has handed
     * the message to the broker and, with {@link TransportCapability#PUBLISHER_CONFIRMS}, when the
     * broker confirmed it. It completes exceptionally with
     * {@link io.seedmq.messaging.UndeliverableException} when a mandatory message is returned,
     * {@link io.seedmq.messaging.PublishRejectedException} on a negative confirm,
     * {@link io.seedmq.messaging.EntityNotFoundException} when the exchange does not exist, and
     * {@link io.seedmq.messaging.ConnectionException} when the connection is lost before the
     * confirm. A future is never left incomplete: the transport fails it with
     * {@link io.seedmq.messaging.OperationTimeoutException} after the operation timeout at the latest.
     *
     * @param message the message
     * @return completion of the publish
     */
    CompletableFuture<Void> publish(OutboundMessage message);

    /**
     * Fetches one message without subscribing (AMQP's {@code basic.get}). Never waits for a message.
     *
     * @param queue queue name
     * @param autoAck whether the message counts as acknowledged once fetched
     * @return the message, or empty when the queue has none ready
     * @throws io.seedmq.messaging.EntityNotFoundException if the queue does not exist
     */
    Optional<Delivery> get(String queue, boolean autoAck);

    /**
     * Fetches one message, waiting up to {@code timeout} for one when the queue has none ready
     * (kombu's {@code SimpleQueue.get(timeout=...)}). A message that arrives while it waits goes
     * to it only when no consumer of the queue has room for it, as a {@code basic.get} polling
     * at that moment would find it; a message is never both handed over and left in the queue,
     * whether the wait ends by timeout, interruption or arrival.
     *
     * <p>The default tries {@link #get(String, boolean)}, then subscribes with a prefetch of one,
     * takes the first delivery (acknowledging it if {@code autoAck}; a delivery that comes after
     * the wait ended is requeued) and cancels: correct on any transport, at the cost of a
     * subscription per wait. A transport that can wait on the queue itself overrides it.
     *
     * @param queue queue name
     * @param autoAck whether the message counts as acknowledged once fetched
     * @param timeout the longest wait; zero or negative does not wait
     * @return the message, or empty when none came within the timeout
     * @throws io.seedmq.messaging.EntityNotFoundException if the queue does not exist
     * @throws io.seedmq.messaging.MessagingException if the queue is deleted while waiting, or the
     *     thread is interrupted (its interrupt flag is then set again)
     */
    default Optional<Delivery> get(String queue, boolean autoAck, Duration timeout) {
        return SubscribedGet.get(this, queue, autoAck, timeout);
    }

    /**
     * Subscribes to a queue.
     *
     * @param queue queue name
     * @param options prefetch, acknowledgement mode, exclusivity
     * @param listener receives the deliveries
     * @return the subscription
     * @throws io.seedmq.messaging.EntityNotFoundException if the queue does not exist
     * @throws io.seedmq.messaging.AccessRefusedException if it has an exclusive consumer or is exclusive to another connection
     */
    Subscription subscribe(String queue, SubscribeOptions options, DeliveryListener listener);

    /**
     * @param listener hears about connection loss, recovery, flow control and close, on a
     *     transport thread (see {@link ConnectionListener} for the threading the transport must honour)
     */
    void addListener(ConnectionListener listener);

    /** @param listener a listener added before; absent ones are ignored */
    void removeListener(ConnectionListener listener);

    /**
     * @return how many publishes the broker has not yet confirmed (nor returned, nacked or failed):
     *     a moment's count for a gauge, not a bound. A transport without confirms, or whose
     *     publishes complete when handed over, reports 0.
     */
    default int unconfirmedPublishes() {
        return 0;
    }

    /**
     * The version of the broker this connection reached, as the broker reports it (AMQP 0-9-1: the
     * {@code version} server property, e.g. {@code "3.10.7"}). Does not block. A transport that
     * cannot tell answers empty, the default.
     *
     * @return the broker's version, or empty when unknown
     */
    default Optional<String> serverVersion() {
        return Optional.empty();
    }

    /** @return whether the connection is usable (open, not closed by the application) */
    boolean isOpen();

    /**
     * Closes the connection: subscriptions end, unacknowledged deliveries return to their
     * queues (redelivered), exclusive queues are deleted, pending publishes fail. Idempotent.
     */
    @Override
    void close();
}
