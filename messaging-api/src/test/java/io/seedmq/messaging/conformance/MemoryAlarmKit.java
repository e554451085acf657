package io.seedmq.messaging.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seedmq.messaging.Connection;
import io.seedmq.messaging.ConnectionListener;
import io.seedmq.messaging.ConnectionOptions;
import io.seedmq.messaging.OperationTimeoutException;
import io.seedmq.messaging.Publish;
import io.seedmq.messaging.Queue;
import io.seedmq.messaging.retry.RetryPolicy;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The broker's memory alarm, on every transport: RabbitMQ's memory high watermark, and the
 * embedded broker's memory limit that stands for it. While the alarm is on, publishers are blocked
 * and told so; a publish waits for the alarm to clear at most its operation timeout and then fails
 * typed; when it clears they are told and publishing goes on; nothing confirmed is lost.
 */
public abstract class MemoryAlarmKit {

    private static final Duration OPERATION_TIMEOUT = Duration.ofSeconds(2);

    /** @return how to reach the broker under test; the kit sets the timeouts it needs */
    protected abstract ConnectionOptions connectionOptions();

    /** Sets the broker's limit below what it holds now, as an operator lowering the watermark would. */
    protected abstract void raiseMemoryAlarm() throws Exception;

    /** Gives the broker its usual limit back. */
    protected abstract void clearMemoryAlarm() throws Exception;

    /** @return how long a case waits for what must happen */
    protected Duration timeout() {
        return Duration.ofSeconds(30);
    }

    @Test
    @DisplayName("a memory alarm blocks publishers: onBlocked, a publish fails typed within its bound, onUnblocked, nothing confirmed lost")
    void memoryAlarmBlocksPublishers() throws Exception {
        String q = "seedmq-alarm-" + UUID.randomUUID();
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        try (Connection conn = Connection.open(connectionOptions().toBuilder().operationTimeout(OPERATION_TIMEOUT)
                .retryPolicy(RetryPolicy.none()).build())) {
            conn.addListener(new ConnectionListener() {
                @Override
                public void onBlocked(String reason) {
                    events.add("blocked");
                }

                @Override
                public void onUnblocked() {
                    events.add("unblocked");
                }
            });
            conn.declare(Queue.builder(q).durable(true).build());
            Publish publish = Publish.toQueue(q).persistent(false);
            try {
                conn.producer().publish("held before the alarm", publish);
                int confirmed = 1;
                CompletableFuture<Void> trigger;
                raiseMemoryAlarm();
                try {
                    // RabbitMQ blocks a connection when it publishes during an alarm: this publish tells it.
                    trigger = conn.producer().publishAsync("trigger", publish);
                    assertEquals("blocked", events.poll(timeout().toSeconds(), TimeUnit.SECONDS), "the alarm is told");
                    long start = System.nanoTime();
                    CompletableFuture<Void> blocked = conn.producer().publishAsync("while blocked", publish);
                    ExecutionException e = assertThrows(ExecutionException.class,
                            () -> blocked.get(timeout().toSeconds(), TimeUnit.SECONDS));
                    Duration took = Duration.ofNanos(System.nanoTime() - start);
                    assertInstanceOf(OperationTimeoutException.class, e.getCause());
                    assertTrue(took.compareTo(OPERATION_TIMEOUT.plusSeconds(2)) < 0, "bounded by the operation timeout: " + took);
                } finally {
                    clearMemoryAlarm();
                }
                String next = events.poll(timeout().toSeconds(), TimeUnit.SECONDS);
                assertNotNull(next, "the end of the alarm is told");
                assertEquals("unblocked", next);
                try {
                    trigger.get(timeout().toSeconds(), TimeUnit.SECONDS);
                    confirmed++;
                } catch (ExecutionException e) {
                    assertInstanceOf(OperationTimeoutException.class, e.getCause(), "the trigger is confirmed or timed out");
                }
                conn.producer().publish("after the alarm", publish);
                confirmed++;
                long inQueue = conn.queueInfo(q).messageCount();
                // A publish that timed out may still have reached the queue; a confirmed one always has.
                assertTrue(inQueue >= confirmed && inQueue <= confirmed + 1,
                        "nothing confirmed was lost: " + inQueue + " in the queue for " + confirmed + " confirmed");
            } finally {
                conn.deleteQueue(q);
            }
        }
    }
}
