package io.seedmq.messaging.spi;

import io.seedmq.messaging.MessagingException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link TransportConnection#get(String, boolean, Duration)} for a transport that cannot wait on a
 * queue: a {@code basic.get}, then a prefetch-1 subscription for the one message waited for,
 * cancelled right after. Nothing is buffered client-side, and a caller holding unacknowledged
 * messages is never blocked by a prefetch limit.
 */
final class SubscribedGet {

    private SubscribedGet() {
    }

    static Optional<Delivery> get(TransportConnection transport, String queue, boolean autoAck, Duration timeout) {
        Optional<Delivery> ready = transport.get(queue, autoAck);
        if (ready.isPresent() || timeout.isZero() || timeout.isNegative()) {
            return ready;
        }
        CompletableFuture<Delivery> slot = new CompletableFuture<>();
        // Manual acknowledgement even for autoAck: a delivery that comes too late must go back.
        Subscription subscription = transport.subscribe(queue, new SubscribeOptions(1, false, false, null, Map.of()),
                new DeliveryListener() {
                    @Override
                    public void onDelivery(Delivery delivery) {
                        if (!slot.complete(delivery)) {
                            // The waiter gave up (or already has one): this message belongs to the queue.
                            delivery.reject(true);
                        }
                    }

                    @Override
                    public void onCancelledByBroker() {
                        slot.completeExceptionally(new MessagingException("queue '" + queue
                                + "' was deleted while waiting on it"));
                    }
                });
        try {
            return Optional.of(taken(slot.get(timeout.toNanos(), TimeUnit.NANOSECONDS), autoAck));
        } catch (TimeoutException e) {
            if (slot.complete(null)) {
                return Optional.empty();
            }
            return Optional.of(taken(slot.join(), autoAck));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (!slot.complete(null) && slot.getNow(null) != null) {
                slot.getNow(null).reject(true);
            }
            throw new MessagingException("interrupted while waiting on queue '" + queue + "'", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new MessagingException("waiting on queue '" + queue + "' failed", e.getCause());
        } finally {
            subscription.cancel();
        }
    }

    private static Delivery taken(Delivery delivery, boolean autoAck) {
        if (autoAck) {
            delivery.ack();
        }
        return delivery;
    }
}
