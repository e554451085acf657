package io.seedmq.messaging.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.ReturnListener;
import com.rabbitmq.client.ShutdownListener;
import com.rabbitmq.client.ShutdownSignalException;
import io.seedmq.messaging.ConnectionClosedException;
import io.seedmq.messaging.ConnectionException;
import io.seedmq.messaging.EntityNotFoundException;
import io.seedmq.messaging.MessagingException;
import io.seedmq.messaging.OperationTimeoutException;
import io.seedmq.messaging.PublishRejectedException;
import io.seedmq.messaging.UndeliverableException;
import io.seedmq.messaging.spi.OutboundMessage;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tracks the publisher confirms of one channel in confirm mode: each publish is registered under
 * the channel's next publish sequence number, and the broker's {@code basic.ack}/{@code basic.nack}
 * (possibly {@code multiple}) complete the matching futures. Nothing waits synchronously for a
 * confirm.
 *
 * <p><b>Returns.</b> A mandatory message that cannot be routed comes back as {@code basic.return}
 * before the {@code basic.ack} of the same message, on the same channel; both are handled on the
 * connection's reader thread, in order. The return carries no sequence number, so it is matched to
 * the earliest outstanding, not yet returned, mandatory publish of this channel with the same
 * exchange, routing key and body bytes; that publish is marked and fails with
 * {@link UndeliverableException} when its confirm arrives. Adding a correlation header (as Spring
 * AMQP does) would change the message consumers see, so it is avoided. Two byte-identical mandatory
 * messages in flight on one channel are indistinguishable; attributing the return to the earlier one
 * is exact unless bindings change between the two publishes.
 *
 * <p><b>Failure.</b> When the channel shuts down (connection lost, or the broker closed the channel,
 * for example 404 on a missing exchange) every outstanding publish fails at once: with
 * {@link EntityNotFoundException} if the broker named its exchange as missing, else with
 * {@link ConnectionException}. Each publish also fails with {@link OperationTimeoutException} after
 * the operation timeout. One timer per channel serves every publish, armed for the oldest
 * outstanding publish's deadline: deadlines grow with sequence numbers (one timeout, taken under
 * the channel's lock), so the timer only ever looks at the head. A timer per publish would wake
 * the scheduler's thread on every publish made while none was outstanding (every sequential
 * publish) and cost an insert and a removal on its queue for all the others.
 */
final class ConfirmTracker implements ConfirmListener, ReturnListener, ShutdownListener {

    private final ConcurrentNavigableMap<Long, Pending> pending = new ConcurrentSkipListMap<>();
    private final ScheduledExecutorService scheduler;
    private final Duration timeout;
    /** Whether the timer is scheduled (or running); set by whoever schedules it, cleared when it has looked. */
    private final AtomicBoolean timerArmed = new AtomicBoolean();

    ConfirmTracker(ScheduledExecutorService scheduler, Duration timeout) {
        this.scheduler = scheduler;
        this.timeout = timeout;
    }

    /** Puts a channel in confirm mode and routes its confirms, returns and shutdown here. */
    void attach(Channel channel) throws java.io.IOException {
        channel.confirmSelect();
        channel.addConfirmListener(this);
        channel.addReturnListener(this);
        channel.addShutdownListener(this);
    }

    /**
     * Publishes and registers the publish. The caller must hold the channel's lock, so the sequence
     * number read here is the one {@code basicPublish} uses.
     */
    CompletableFuture<Void> publish(Channel channel, OutboundMessage message, AMQP.BasicProperties props) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        long seq = channel.getNextPublishSeqNo();
        Pending p = new Pending(future, message, System.nanoTime() + timeout.toNanos());
        pending.put(seq, p);
        try {
            channel.basicPublish(message.exchange(), message.routingKey(), message.mandatory(), props,
                    message.body());
        } catch (Exception e) {
            if (pending.remove(seq, p)) {
                future.completeExceptionally(AmqpErrors.translate(describe(message), e));
            }
            return future;
        }
        if (timerArmed.compareAndSet(false, true)) {
            arm(timeout.toNanos());
        }
        return future;
    }

    private void arm(long delayNanos) {
        try {
            scheduler.schedule(this::expireDue, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // The connection is closing: closing the channel fails what is outstanding.
            timerArmed.set(false);
        }
    }

    /** Fails the publishes whose deadline has passed, then arms the timer for the next one, if any. */
    private void expireDue() {
        long now = System.nanoTime();
        Iterator<Map.Entry<Long, Pending>> it = pending.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, Pending> e = it.next();
            Pending p = e.getValue();
            if (p.deadline - now > 0) {
                break;
            }
            if (pending.remove(e.getKey(), p)) {
                p.future.completeExceptionally(new OperationTimeoutException(describe(p.message)
                        + ": no confirm from the broker within " + timeout));
            }
        }
        // Cleared before the head is read: a publish that saw the timer armed has put its entry
        // before this read, so it is seen here; one that comes later arms the timer itself.
        timerArmed.set(false);
        Map.Entry<Long, Pending> head = pending.firstEntry();
        if (head != null && timerArmed.compareAndSet(false, true)) {
            arm(Math.max(0, head.getValue().deadline - System.nanoTime()));
        }
    }

    /** @return how many publishes await their confirm */
    int outstanding() {
        return pending.size();
    }

    @Override
    public void handleAck(long seq, boolean multiple) {
        settle(seq, multiple, true);
    }

    @Override
    public void handleNack(long seq, boolean multiple) {
        settle(seq, multiple, false);
    }

    private void settle(long seq, boolean multiple, boolean ack) {
        if (multiple) {
            Iterator<Map.Entry<Long, Pending>> it = pending.headMap(seq, true).entrySet().iterator();
            while (it.hasNext()) {
                Pending p = it.next().getValue();
                it.remove();
                complete(p, ack);
            }
        } else {
            Pending p = pending.remove(seq);
            if (p != null) {
                complete(p, ack);
            }
        }
    }

    private static void complete(Pending p, boolean ack) {
        if (p.returned != null) {
            p.future.completeExceptionally(p.returned);
        } else if (ack) {
            p.future.complete(null);
        } else {
            p.future.completeExceptionally(new PublishRejectedException(describe(p.message)
                    + ": the broker refused responsibility for the message (basic.nack)"));
        }
    }

    @Override
    public void handleReturn(int replyCode, String replyText, String exchange, String routingKey,
                             AMQP.BasicProperties properties, byte[] body) {
        for (Pending p : pending.values()) {
            OutboundMessage m = p.message;
            if (p.returned == null && m.mandatory() && m.exchange().equals(exchange)
                    && m.routingKey().equals(routingKey) && Arrays.equals(m.body(), body)) {
                p.returned = new UndeliverableException(exchange, routingKey, replyCode, replyText);
                return;
            }
        }
    }

    @Override
    public void shutdownCompleted(ShutdownSignalException cause) {
        boolean notFound = AmqpErrors.channelReplyCode(cause) == AmqpErrors.NOT_FOUND;
        String text = AmqpErrors.replyText(cause);
        Iterator<Pending> it = pending.values().iterator();
        while (it.hasNext()) {
            Pending p = it.next();
            it.remove();
            p.future.completeExceptionally(failureFor(p.message, notFound, text, cause));
        }
    }

    private static MessagingException failureFor(OutboundMessage m, boolean notFound, String text,
                                                 ShutdownSignalException cause) {
        if (notFound && !m.exchange().isEmpty() && text.contains("'" + m.exchange() + "'")) {
            return new EntityNotFoundException(describe(m) + ": " + text, cause);
        }
        if (cause.isHardError() && cause.isInitiatedByApplication()) {
            return new ConnectionClosedException(describe(m)
                    + ": the application closed the connection before the broker confirmed", cause);
        }
        return new ConnectionException(describe(m) + ": channel closed before the broker confirmed ("
                + text + ")", cause);
    }

    static String describe(OutboundMessage m) {
        return "publish to exchange '" + m.exchange() + "' with routing key '" + m.routingKey() + "'";
    }

    /** One publish awaiting its confirm. Identity matters: the timer removes exactly this entry. */
    private static final class Pending {
        final CompletableFuture<Void> future;
        final OutboundMessage message;
        /** {@link System#nanoTime()} by which the confirm must have come. */
        final long deadline;
        /** Set by a return, read by the confirm: both on the reader thread, volatile for the shutdown path. */
        volatile UndeliverableException returned;

        Pending(CompletableFuture<Void> future, OutboundMessage message, long deadline) {
            this.future = future;
            this.message = message;
            this.deadline = deadline;
        }
    }
}
