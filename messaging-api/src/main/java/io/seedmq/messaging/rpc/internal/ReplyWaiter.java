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
    private final Map<String, CompletableFuture<ObjectNode>> waiting = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
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
        CompletableFuture<ObjectNode> reply = new CompletableFuture<>();
        if (closed) {
            reply.completeExceptionally(new ConnectionException("the connection of reply queue " + queue + " is closed"));
            return reply;
        }
        waiting.put(msgId, reply);
        // The waiter leaves the table before the caller sees the outcome, here and in onReply.
        ScheduledFuture<?> expiry = timer.schedule(() -> {
            waiting.remove(msgId, reply);
            reply.completeExceptionally(onTimeout.get());
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        reply.whenComplete((r, e) -> {
            waiting.remove(msgId, reply);
            expiry.cancel(false);
        });
        return reply;
    }

    /**
     * Fails a call whose request could not be sent.
     *
     * @param msgId the request's {@code _msg_id}
     * @param error why
     */
    void fail(String msgId, Throwable error) {
        CompletableFuture<ObjectNode> waiter = waiting.remove(msgId);
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
        CompletableFuture<ObjectNode> waiter = waiting.remove(msgId.textValue());
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
        waiting.values().forEach(w -> w.completeExceptionally(closedError));
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

    @Override
    public String toString() {
        return "ReplyWaiter[" + queue + ", " + waiting.size() + " waiting]";
    }
}
