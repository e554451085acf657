package io.seedmq.messaging.test;

import io.seedmq.messaging.Connection;
import io.seedmq.messaging.notify.ListenerOptions;
import io.seedmq.messaging.notify.Notification;
import io.seedmq.messaging.notify.NotificationDriver;
import io.seedmq.messaging.notify.NotificationEndpoint;
import io.seedmq.messaging.notify.NotificationListener;
import io.seedmq.messaging.notify.NotificationResult;
import io.seedmq.messaging.notify.NotificationTarget;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * Records notifications, oslo's {@code test} driver and more: what a notifier sends, without a
 * broker, when it is the notifier's driver; what reaches the broker, when it {@linkplain #listen
 * listens}. Either way a test waits for what it expects with a deadline, and a wait that runs out
 * fails with the list of what was recorded.
 *
 * <pre>{@code
 * NotificationRecorder sent = new NotificationRecorder();
 * Notifier notifier = Notifier.create(connection, "compute.host1", NotifierOptions.builder().driver(sent).build());
 * service.createInstance("i-1");                              // notifies, perhaps from another thread
 * Notification n = sent.awaitNotification("compute.instance.create.end", Duration.ofSeconds(5));
 *
 * try (NotificationRecorder received = new NotificationRecorder().listen(connection, NotificationTarget.topic(topic))) {
 *     pythonService.run();                                     // sends through the broker
 *     received.awaitNotifications(2, Duration.ofSeconds(10));
 * }
 * }</pre>
 *
 * <p>Thread-safe: notifiers and listeners may record from any thread.
 */
public final class NotificationRecorder implements NotificationDriver, AutoCloseable {

    private final Arrivals<Notification> arrivals = new Arrivals<>("notifications", NotificationRecorder::describe);
    private final List<NotificationListener> listeners = new CopyOnWriteArrayList<>();

    /** A recorder that has recorded nothing. */
    public NotificationRecorder() {
    }

    /**
     * Records what a notifier sends, when this is one of its drivers
     * ({@code NotifierOptions.builder().driver(recorder)}). Never fails.
     */
    @Override
    public void send(Notification notification, List<String> topics) {
        arrivals.add(notification);
    }

    /**
     * @return an endpoint of every priority that records each notification and acknowledges it,
     *     for a listener of the test's own making
     */
    public NotificationEndpoint endpoint() {
        return NotificationEndpoint.of(n -> {
            arrivals.add(n);
            return NotificationResult.HANDLED;
        });
    }

    /**
     * Starts a listener on the targets that records what it receives, stopped by {@link #close()}.
     * Returns once it consumes, so what is sent afterwards is recorded.
     *
     * @param connection the connection to listen on; the recorder does not own it
     * @param targets the topics (and exchanges) to listen to
     * @return this recorder
     */
    public NotificationRecorder listen(Connection connection, NotificationTarget... targets) {
        return listen(connection, List.of(targets), ListenerOptions.defaults());
    }

    /**
     * Starts a listener with options (a pool, say) that records what it receives, stopped by {@link #close()}.
     *
     * @param connection the connection to listen on; the recorder does not own it
     * @param targets the topics (and exchanges) to listen to
     * @param options the listener's options
     * @return this recorder
     */
    public NotificationRecorder listen(Connection connection, List<NotificationTarget> targets, ListenerOptions options) {
        NotificationListener listener = NotificationListener.create(connection, targets, List.of(endpoint()), options);
        listeners.add(listener);
        listener.start();
        return this;
    }

    /** @return what was recorded so far, in order; a snapshot */
    public List<Notification> notifications() {
        return arrivals.snapshot();
    }

    /**
     * @param count how many
     * @param timeout how long at most
     * @return what was recorded, at least {@code count}, in order
     * @throws AssertionError listing what was recorded, when fewer came in time
     */
    public List<Notification> awaitNotifications(int count, Duration timeout) {
        return arrivals.awaitCount(count, timeout);
    }

    /**
     * @param eventType the event type
     * @param timeout how long at most
     * @return the first notification of that event type (one recorded before counts too)
     * @throws AssertionError listing what was recorded, when none came in time
     */
    public Notification awaitNotification(String eventType, Duration timeout) {
        Objects.requireNonNull(eventType, "eventType");
        return arrivals.awaitMatch(n -> eventType.equals(n.eventType()), "event type '" + eventType + "'", timeout);
    }

    /**
     * @param matches which one
     * @param timeout how long at most
     * @return the first notification that matches
     * @throws AssertionError listing what was recorded, when none matched in time
     */
    public Notification awaitNotification(Predicate<? super Notification> matches, Duration timeout) {
        return arrivals.awaitMatch(matches, "the predicate", timeout);
    }

    /** Forgets what was recorded. */
    public void clear() {
        arrivals.clear();
    }

    /** Stops the listeners this recorder started; what was recorded stays readable. */
    @Override
    public void close() {
        for (NotificationListener listener : listeners) {
            listener.stop(Duration.ofSeconds(5));
        }
        listeners.clear();
    }

    private static String describe(Notification n) {
        return n.priority() + " " + n.eventType() + " from '" + n.publisherId() + "': " + n.payload();
    }
}
