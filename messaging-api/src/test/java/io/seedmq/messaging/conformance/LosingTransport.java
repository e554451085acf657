package io.seedmq.messaging.conformance;

import io.seedmq.messaging.MessagingException;
import io.seedmq.messaging.spi.DeliveryListener;
import io.seedmq.messaging.spi.SubscribeOptions;
import io.seedmq.messaging.spi.Subscription;
import io.seedmq.messaging.spi.TransportConnection;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Wraps a transport connection so a case can lose a subscription on any transport, as a transport
 * reports one it will not restore (a broker cancel, a consumer amqp-client did not recover): the
 * subscription is cancelled and its listener told {@link DeliveryListener#onSubscriptionLost}.
 * Every subscribe is recorded with its options.
 */
final class LosingTransport {

    /** One subscribe call: its queue, options and what it made. */
    record Subscribed(String queue, SubscribeOptions options, DeliveryListener listener, Subscription subscription) {
    }

    private final List<Subscribed> subscribed = new CopyOnWriteArrayList<>();

    /** @return the transport to hand to {@code Transports.open}: every call goes to the one given */
    TransportConnection wrap(TransportConnection delegate) {
        return (TransportConnection) Proxy.newProxyInstance(TransportConnection.class.getClassLoader(),
                new Class<?>[] {TransportConnection.class}, (proxy, method, args) -> {
                    try {
                        Object result = method.invoke(delegate, args);
                        if (method.getName().equals("subscribe")) {
                            subscribed.add(new Subscribed((String) args[0], (SubscribeOptions) args[1],
                                    (DeliveryListener) args[2], (Subscription) result));
                        }
                        return result;
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** @return every subscribe call so far, in order */
    List<Subscribed> subscribed() {
        return List.copyOf(subscribed);
    }

    /** Ends every active subscription to the queue as a transport that will not restore it does. */
    void lose(String queue) {
        for (Subscribed s : subscribed) {
            if (s.queue().equals(queue) && s.subscription().isActive()) {
                s.subscription().cancel();
                s.listener().onSubscriptionLost(new MessagingException("subscription to '" + queue + "' lost on purpose"));
            }
        }
    }
}
