package io.seedmq.messaging.notify;

/**
 * Where a {@link Notifier}'s notifications go besides (or instead of) the built-in
 * {@linkplain NotifierOptions.Driver drivers}: oslo's driver plug-in point, as one method. The test
 * kit's {@code io.seedmq.messaging.test.NotificationRecorder} keeps them in memory for tests.
 *
 * <p>Called on the notifying thread, once per notification (not per topic), after the context
 * was stripped of sensitive entries. Must be thread-safe. An exception it throws is reported to the
 * caller as a {@link NotificationException} once the other drivers have run.
 */
@FunctionalInterface
public interface NotificationDriver {

    /**
     * @param notification the notification as it would be received
     * @param topics the topics the notifier sends on
     */
    void send(Notification notification, java.util.List<String> topics);
}
