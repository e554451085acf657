package io.seedmq.messaging.rpc.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.seedmq.messaging.AckMode;
import io.seedmq.messaging.Connection;
import io.seedmq.messaging.ConnectionException;
import io.seedmq.messaging.Consumer;
import io.seedmq.messaging.ConsumerOptions;
import io.seedmq.messaging.Lifecycle;
import io.seedmq.messaging.Message;
import io.seedmq.messaging.MessagingException;
import io.seedmq.messaging.Queue;
import io.seedmq.messaging.internal.DefaultConnection;
import io.seedmq.messaging.internal.DefaultConsumer;
import io.seedmq.messaging.oslo.internal.OsloCodec;
import io.seedmq.messaging.retry.RetryPolicy;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection's reply queue, {@code reply_<id>}, and the calls waiting on it, matched by
 * {@code _msg_id}. One per connection and topology (kept by {@link DefaultConnection#shared}); consumed with
 * auto-ack, as oslo acks replies on receipt. A waiter leaves the table when its reply comes, when
 * it times out, when it is cancelled and when the connection closes, so the table holds only calls
 * in flight; a reply with no waiter (it came late) is dropped with a debug log.
 */
public final class ReplyWaiter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReplyWaiter.class);

    private final Connection connection;
    private final OsloCodec codec;
    private final String queue;
    private final Map<String, Pending> waiting = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    /** The sweep due next, if {@link #sweepScheduled}; guarded by {@code this}. */
    private ScheduledFuture<?> sweep;
    /** When the next sweep runs, in {@link System#nanoTime()}; read without the lock as a hint. */
    private volatile long sweepAt;
    private volatile boolean sweepScheduled;
    private final Consumer consumer;
    private volatile boolean closed;

    /**
     * @param connection the connection the reply queue lives on
     * @param codec oslo's codec
     * @param replyQueue the reply queue as the client's {@link io.seedmq.messaging.oslo.OsloTopology} declares it
     */
    ReplyWaiter(Connection connection, OsloCodec codec, Queue replyQueue) {
        this.connection = connection;
        this.codec = codec;
        this.queue = replyQueue.name();
        this.timer = DefaultConnection.of(connection).scheduler();
        // A service's consumer: replies are part of the calls (observed there), not handlings of their
        // own, and the reply queue is not a service of the health view.
        this.consumer = DefaultConsumer.forService(connection, "ReplyWaiter[" + queue + "]",
                ConsumerOptions.builder().queue(replyQueue).ackMode(AckMode.AUTO).accept(OsloCodec.CONTENT_TYPE)
                        // The RPC client's policy retries the whole set-up: one try here.
                        .retryPolicy(RetryPolicy.none()).build(),
                message -> {
                    onReply(message);
                    return null;
                },
                (message, from, cause) -> LOG.error("reply queue {}: a reply could not be handled", from, cause), false)
                // A reply queue lost later (its node went down) is declared again, for as long as a service would.
                .resubscribeUnder(Lifecycle.DEFAULT_RESUBSCRIBE_POLICY);
        consumer.start();
    }

    /** @return the reply queue's name, sent as {@code _reply_q} */
    String queue() {
        return queue;
    }

    /** @return whether the connection closed it: a client then asks its connection again */
    boolean isClosed() {
        return closed;
    }

    /** @return how many calls wait for a reply */
    public int waiting() {
        return waiting.size();
    }

    /**
     * Registers a call before its request is sent.
     *
     * @param msgId the request's {@code _msg_id}
     * @param timeout how long to wait
     * @param onTimeout the exception the call fails with when the time is up
     * @return the reply to come; cancelling it removes the waiter
     */
    CompletableFuture<ObjectNode> register(String msgId, Duration timeout, Supplier<MessagingException> onTimeout) {
        if (closed) {
            CompletableFuture<ObjectNode> reply = new CompletableFuture<>();
            reply.completeExceptionally(new ConnectionException("the connection of reply queue " + queue + " is closed"));
            return reply;
        }
        Pending reply = new Pending(msgId, System.nanoTime() + timeout.toNanos(), onTimeout);
        waiting.put(msgId, reply);
        try {
            expireBy(reply.deadline);
        } catch (RuntimeException e) {
            waiting.remove(msgId, reply);
            throw e;
        }
        if (closed && waiting.remove(msgId, reply)) {
            // close() ran between the check above and the put, and missed this call.
            reply.completeExceptionally(new ConnectionException("the connection of reply queue " + queue + " is closed"));
        }
        return reply;
    }

    /**
     * Makes sure a sweep runs by {@code deadline}. Calls of one client share a timeout, so a new
     * call's deadline is nearly always later than the sweep already due: one timer task serves
     * them all, instead of a task scheduled and cancelled per call (each scheduling of a new
     * earliest task wakes the timer thread).
     */
    private void expireBy(long deadline) {
        if (sweepScheduled && deadline - sweepAt >= 0) {
            return;
        }
        synchronized (this) {
            if (sweepScheduled && deadline - sweepAt >= 0) {
                return;
            }
            scheduleSweep(deadline);
        }
    }

    /**
     * Guarded by {@code this}.
     *
     * @throws RejectedExecutionException when the connection's scheduler is shut down
     */
    private void scheduleSweep(long at) {
        ScheduledFuture<?> next = timer.schedule(this::sweep, Math.max(0, at - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (sweep != null) {
            sweep.cancel(false);
        }
        sweep = next;
        sweepAt = at;
        sweepScheduled = true;
    }

    /** Fails the calls whose time is up and schedules the next sweep for the earliest deadline left. */
    private void sweep() {
        long now = System.nanoTime();
        for (Pending p : waiting.values()) {
            // The waiter leaves the table before the caller sees the outcome, here and in onReply.
            if (p.deadline - now <= 0 && waiting.remove(p.msgId, p)) {
                p.completeExceptionally(p.onTimeout.get());
            }
        }
        synchronized (this) {
            sweep = null;
            sweepScheduled = false;
            // A call registered while this sweep ran saw it as due and scheduled nothing: it is in
            // the table by now, or it found sweepScheduled false and scheduled a sweep of its own.
            boolean any = false;
            long earliest = 0;
            for (Pending p : waiting.values()) {
                if (!any || p.deadline - earliest < 0) {
                    earliest = p.deadline;
                    any = true;
                }
            }
            if (any) {
                try {
                    scheduleSweep(earliest);
                } catch (RejectedExecutionException e) {
                    // The scheduler stops after the connection closed, and close() failed the calls.
                    LOG.debug("reply queue {}: no sweep after the scheduler stopped", queue);
                }
            }
        }
    }

    /**
     * Fails a call whose request could not be sent.
     *
     * @param msgId the request's {@code _msg_id}
     * @param error why
     */
    void fail(String msgId, Throwable error) {
        Pending waiter = waiting.remove(msgId);
        if (waiter != null) {
            waiter.completeExceptionally(error);
        }
    }

    private void onReply(Message message) {
        ObjectNode reply = codec.decode(message.body());
        JsonNode msgId = reply.remove("_msg_id");
        if (msgId == null || !msgId.isTextual()) {
            LOG.warn("dropping a message without _msg_id on reply queue {}", queue);
            return;
        }
        JsonNode ending = reply.get("ending");
        boolean heartbeat = ending != null && !ending.asBoolean(true)
                && reply.path("result").isNull() && reply.path("failure").isNull();
        if (heartbeat) {
            LOG.trace("heartbeat for call {}", msgId.textValue());
            return;
        }
        Pending waiter = waiting.remove(msgId.textValue());
        if (waiter == null) {
            LOG.debug("dropping reply to {}: no call waits for it (timed out, cancelled or answered)", msgId.textValue());
            return;
        }
        waiter.complete(reply);
    }

    /** Fails the calls still waiting, stops consuming replies and deletes the reply queue. */
    @Override
    public void close() {
        closed = true;
        ConnectionException closedError = new ConnectionException("connection closed while waiting for a reply on " + queue);
        for (Pending w : waiting.values()) {
            if (waiting.remove(w.msgId, w)) {
                w.completeExceptionally(closedError);
            }
        }
        synchronized (this) {
            if (sweep != null) {
                sweep.cancel(false);
            }
        }
        try {
            consumer.close();
        } catch (RuntimeException e) {
            LOG.debug("closing the reply consumer of {} failed", queue, e);
        }
        if (connection.isOpen()) {
            try {
                connection.deleteQueue(queue);
            } catch (RuntimeException e) {
                // The broker drops it anyway once it has been unused for its x-expires.
                LOG.debug("deleting reply queue {} failed", queue, e);
            }
        }
    }

    /** A call waiting for its reply, until its deadline. */
    private final class Pending extends CompletableFuture<ObjectNode> {
        private final String msgId;
        private final long deadline;
        private final Supplier<MessagingException> onTimeout;

        Pending(String msgId, long deadline, Supplier<MessagingException> onTimeout) {
            this.msgId = msgId;
            this.deadline = deadline;
            this.onTimeout = onTimeout;
        }

        /** A caller that gives up frees the table at once, not at the deadline. */
        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            waiting.remove(msgId, this);
            return cancelled;
        }
    }

    @Override
    public String toString() {
        return "ReplyWaiter[" + queue + ", " + waiting.size() + " waiting]";
    }
}
