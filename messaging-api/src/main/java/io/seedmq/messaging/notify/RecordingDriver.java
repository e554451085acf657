package io.seedmq.messaging.notify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A driver that keeps every notification in memory, in the order sent: for tests of code that
 * notifies, without a broker (oslo's {@code test} driver).
 *
 * <pre>{@code
 * RecordingDriver recorded = new RecordingDriver();
 * Notifier notifier = Notifier.create(connection, "svc", NotifierOptions.builder().driver(recorded).build());
 * ... code under test ...
 * assertEquals("instance.create.end", recorded.notifications().get(0).eventType());
 * }</pre>
 *
 * Thread-safe.
 */
public final class RecordingDriver implements NotificationDriver {

    private final List<Notification> notifications = new ArrayList<>();

    /** Creates a driver that has recorded nothing yet. */
    public RecordingDriver() {
    }

    /** Records it; never fails. */
    @Override
    public synchronized void send(Notification notification, List<String> topics) {
        notifications.add(notification);
        notifyAll();
    }

    /** @return a snapshot of what was sent so far, oldest first */
    public synchronized List<Notification> notifications() {
        return List.copyOf(notifications);
    }

    /**
     * Waits until at least {@code count} notifications were sent, for code that notifies from
     * other threads.
     *
     * @param count how many
     * @param timeout how long to wait at most
     * @return the snapshot, which has fewer than {@code count} entries if the time ran out
     * @throws InterruptedException if interrupted while waiting
     */
    public synchronized List<Notification> await(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (notifications.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return new ArrayList<>(notifications);
    }

    /** Forgets what was recorded. */
    public synchronized void clear() {
        notifications.clear();
    }
}
