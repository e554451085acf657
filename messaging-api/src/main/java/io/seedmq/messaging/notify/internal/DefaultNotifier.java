package io.seedmq.messaging.notify.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.observation.Observation;
import io.seedmq.messaging.Binding;
import io.seedmq.messaging.Connection;
import io.seedmq.messaging.Exchange;
import io.seedmq.messaging.Producer;
import io.seedmq.messaging.Publish;
import io.seedmq.messaging.internal.DefaultConnection;
import io.seedmq.messaging.internal.Observations;
import io.seedmq.messaging.notify.Notification;
import io.seedmq.messaging.notify.NotificationDriver;
import io.seedmq.messaging.notify.NotificationException;
import io.seedmq.messaging.notify.Notifier;
import io.seedmq.messaging.notify.NotifierOptions;
import io.seedmq.messaging.notify.Priority;
import io.seedmq.messaging.observation.NotifyContext;
import io.seedmq.messaging.oslo.Context;
import io.seedmq.messaging.oslo.OsloRetry;
import io.seedmq.messaging.oslo.internal.OsloCodec;
import io.seedmq.messaging.oslo.internal.OsloDeclarations;
import io.seedmq.messaging.retry.RetryPolicy;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link Notifier}: runs each configured driver in turn for every notification. */
public final class DefaultNotifier implements Notifier {

    /** What publishers of one connection and options share; {@code observations} is {@code null} when nothing observes. */
    private record Shared(Connection connection, Producer producer, NotifierOptions options, NotificationCodec codec,
                          RetryPolicy retry, Map<String, Publish> publishes, Observations observations) {
    }

    private final Shared shared;
    private final String publisherId;

    private DefaultNotifier(Shared shared, String publisherId) {
        this.shared = shared;
        this.publisherId = Objects.requireNonNull(publisherId, "publisherId");
    }

    /**
     * @param connection the connection
     * @param publisherId the publisher id
     * @param options the options; its {@code retry} becomes the retry policy of every publish
     * @return a notifier
     */
    public static Notifier create(Connection connection, String publisherId, NotifierOptions options) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(options, "options");
        Observations observations = DefaultConnection.of(connection).observations();
        return new DefaultNotifier(new Shared(connection, connection.producer(), options,
                new NotificationCodec(options.mapper()), OsloRetry.of(options.retry()), new ConcurrentHashMap<>(),
                observations.enabled() ? observations : null), publisherId);
    }

    @Override
    public String publisherId() {
        return publisherId;
    }

    @Override
    public NotifierOptions options() {
        return shared.options;
    }

    @Override
    public Notifier prepare(String publisherId) {
        return new DefaultNotifier(shared, publisherId);
    }

    @Override
    public void notify(Context context, Priority priority, String eventType, Object payload) {
        Objects.requireNonNull(priority, "priority");
        Context sent = Objects.requireNonNull(context, "context").filterKeys(k -> !shared.options.sensitiveContextKey().test(k));
        Observation observation = shared.observations == null ? null : shared.observations.startNotify(publisherId,
                eventType, priority.routingName(), shared.options.exchange());
        if (observation != null) {
            // After the caller's entries, so the notification carries this trace, not one passed on.
            for (Map.Entry<String, String> e : ((NotifyContext) observation.getContext()).getCarrier().entrySet()) {
                sent = sent.with(e.getKey(), e.getValue());
            }
        }
        RuntimeException failure;
        try (Observation.Scope scope = observation == null ? null : observation.openScope()) {
            failure = sendAll(create(priority, eventType, payload, sent));
        } catch (RuntimeException e) {
            if (observation != null) {
                Observations.stopNotify(observation, e);
            }
            throw e;
        }
        if (observation != null) {
            Observations.stopNotify(observation, failure);
        }
        if (failure != null) {
            throw new NotificationException("could not send " + priority + " notification '" + eventType + "' from "
                    + publisherId + ": " + failure.getMessage(), failure);
        }
    }

    private Notification create(Priority priority, String eventType, Object payload, Context sent) {
        return shared.codec.create(priority, publisherId, eventType, payload, sent,
                OsloCodec.newUuid(), OsloTimestamps.format(Instant.now()));
    }

    /** @return what the first failing driver threw (the others' suppressed in it), or {@code null} */
    private RuntimeException sendAll(Notification n) {
        RuntimeException failure = null;
        for (NotifierOptions.Driver driver : shared.options.drivers()) {
            failure = attempt(failure, () -> send(driver, n));
        }
        for (NotificationDriver driver : shared.options.customDrivers()) {
            failure = attempt(failure, () -> driver.send(n, shared.options.topics()));
        }
        return failure;
    }

    private static RuntimeException attempt(RuntimeException earlier, Runnable driver) {
        try {
            driver.run();
            return earlier;
        } catch (RuntimeException e) {
            if (earlier == null) {
                return e;
            }
            earlier.addSuppressed(e);
            return earlier;
        }
    }

    private void send(NotifierOptions.Driver driver, Notification n) {
        switch (driver) {
            case MESSAGING_V2 -> publish(n, true);
            case MESSAGING -> publish(n, false);
            case LOG -> log(n);
            case NOOP -> { }
            default -> throw new IllegalStateException("unknown driver " + driver);
        }
    }

    private void publish(Notification n, boolean envelope) {
        for (String topic : shared.options.topics()) {
            String routingKey = topic + "." + n.priority().routingName();
            Publish to = shared.publishes.computeIfAbsent(routingKey, this::publishTemplate);
            byte[] body = shared.codec.encode(n, envelope);
            shared.producer.publish(body, to);
        }
    }

    private Publish publishTemplate(String routingKey) {
        Exchange exchange = OsloDeclarations.controlExchange(shared.options.topology(), shared.options.exchange());
        Publish to = OsloCodec.properties(Publish.to(exchange).routingKey(routingKey)).retry(shared.retry);
        if (shared.options.declareQueues()) {
            to = to.declare(OsloDeclarations.topicQueue(shared.options.topology(), routingKey)
                    .bind(Binding.to(exchange, routingKey)).build());
        }
        return to;
    }

    private void log(Notification n) {
        Logger logger = LoggerFactory.getLogger("seedmq.notification." + n.eventType());
        ObjectNode message = shared.codec.toMessage(n);
        message.remove(OsloCodec.UNIQUE_ID);
        message.retain("message_id", "publisher_id", "event_type", "priority", "payload", "timestamp");
        String json = shared.codec.toJson(message);
        switch (n.priority()) {
            case DEBUG -> logger.debug("{}", json);
            case WARN -> logger.warn("{}", json);
            case ERROR, CRITICAL -> logger.error("{}", json);
            default -> logger.info("{}", json);
        }
    }

    @Override
    public String toString() {
        return "Notifier[" + publisherId + ", " + shared.options + "]";
    }
}
