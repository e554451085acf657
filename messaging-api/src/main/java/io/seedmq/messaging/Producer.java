package io.seedmq.messaging;

import java.util.concurrent.CompletableFuture;

/**
 * Publishes messages. Thread-safe: one producer can be shared by every thread of a service.
 * Entities named by a {@link Publish} are declared once per connection (again after a reconnect).
 * Messages one thread publishes, synchronously or not, reach a queue in the order they were
 * published; messages from different threads are not ordered with each other.
 */
public interface Producer {

    /**
     * Publishes and waits until the transport accepted the message: on RabbitMQ, until the broker
     * confirmed it (publisher confirms), bounded by the connection's operation timeout.
     *
     * @param payload the payload, encoded as the publish options or the payload's type say
     * @param options where and how
     * @throws UndeliverableException if mandatory and unroutable
     * @throws PublishRejectedException if the broker refused it
     * @throws OperationTimeoutException if no confirm came within the bound (the message may still have arrived)
     * @throws ConnectionException if the connection was lost before the confirm
     * @throws ConnectionClosedException if the application closed the connection
     * @throws EncodeException if the payload cannot be encoded
     */
    void publish(Object payload, Publish options);

    /**
     * Publishes without waiting for the confirm. The future completes as {@link #publish} would
     * return, and fails with the exceptions it would throw; encoding errors fail the future too.
     *
     * <p><b>Flow control.</b> At most {@link ConnectionOptions#maxUnconfirmedPublishes()} of these
     * await their confirm at once per connection. When the window is full this call waits for room,
     * at most the operation timeout, and then returns a future failed with
     * {@link OperationTimeoutException}: a publisher faster than the broker is held back instead of
     * piling messages up in the heap. {@link #publish} does not take room in the window (it waits
     * for its own confirm anyway).
     *
     * @param payload the payload
     * @param options where and how
     * @return completion of the publish
     */
    CompletableFuture<Void> publishAsync(Object payload, Publish options);

    /** @return the connection's window of unconfirmed asynchronous publishes, now */
    PublishWindow window();
}
