package io.seedmq.messaging.notify.internal;

import io.micrometer.observation.transport.Kind;
import io.seedmq.messaging.Binding;
import io.seedmq.messaging.Connection;
import io.seedmq.messaging.ConsumerOptions;
import io.seedmq.messaging.DecodeException;
import io.seedmq.messaging.Exchange;
import io.seedmq.messaging.Message;
import io.seedmq.messaging.MessagingException;
import io.seedmq.messaging.Queue;
import io.seedmq.messaging.internal.DefaultConnection;
import io.seedmq.messaging.internal.DefaultConsumer;
import io.seedmq.messaging.internal.DefaultMessage;
import io.seedmq.messaging.internal.Observations;
import io.seedmq.messaging.notify.ListenerOptions;
import io.seedmq.messaging.notify.Notification;
import io.seedmq.messaging.notify.NotificationEndpoint;
import io.seedmq.messaging.notify.NotificationListener;
import io.seedmq.messaging.notify.NotificationResult;
import io.seedmq.messaging.notify.NotificationTarget;
import io.seedmq.messaging.notify.Priority;
import io.seedmq.messaging.oslo.Context;
import io.seedmq.messaging.oslo.OsloTopology;
import io.seedmq.messaging.oslo.internal.OsloDeclarations;
import io.seedmq.messaging.observation.ConnectionHealth;
import io.seedmq.messaging.observation.MessagingKey;
import io.seedmq.messaging.observation.ProcessContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link NotificationListener}: seedmq's dispatch engine consumes the queues; this class
 * decodes, runs the endpoints, settles by their outcome, and plugs in bounded redelivery as the
 * failure policy.
 */
public final class DefaultNotificationListener implements NotificationListener {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationListener.class);
    private static final AtomicInteger IDS = new AtomicInteger();
    private static final int REMEMBERED_FAILURES = 10_000;

    /** How a dispatch ended. */
    private enum Outcome { HANDLED, REQUEUE, FAILED }

    /** A delivered message and what it decoded to. */
    private record Received(Message message, Notification notification) {
    }

    private final List<NotificationEndpoint> endpoints;
    private final List<Set<Priority>> endpointPriorities = new ArrayList<>();
    private final ListenerOptions options;
    private final NotificationCodec codec;
    private final List<Queue> queues;
    private final String name;
    private final RedeliveryCounter failures = new RedeliveryCounter(REMEMBERED_FAILURES);
    private final DefaultConsumer consumer;
    private final Batch batch;
    private final DefaultConnection connection;

    /**
     * @param connection the connection
     * @param targets topics and exchanges
     * @param endpoints the endpoints
     * @param options the options
     */
    public DefaultNotificationListener(Connection connection, List<NotificationTarget> targets,
                                       List<? extends NotificationEndpoint> endpoints, ListenerOptions options) {
        this.connection = DefaultConnection.of(Objects.requireNonNull(connection, "connection"));
        this.options = Objects.requireNonNull(options, "options");
        this.endpoints = List.copyOf(endpoints);
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("a notification listener needs at least one target");
        }
        Set<Priority> handled = EnumSet.noneOf(Priority.class);
        for (NotificationEndpoint e : this.endpoints) {
            Set<Priority> p = e.priorities();
            endpointPriorities.add(p);
            handled.addAll(p);
        }
        if (handled.isEmpty()) {
            throw new IllegalArgumentException("no endpoint handles any priority: override info(), error()... or handle()");
        }
        this.codec = new NotificationCodec(options.mapper());
        this.queues = queues(List.copyOf(targets), handled, options.pool(), options.topology());
        this.name = "NotificationListener-" + IDS.incrementAndGet()
                + (options.pool() == null ? "" : "[pool " + options.pool() + "]");
        int prefetch = Math.min(65_535, (options.concurrency() + 1) * options.batchSize());
        ConsumerOptions.Builder consumerOptions = ConsumerOptions.builder().prefetch(prefetch)
                .concurrency(options.concurrency()).executor(options.executor()).stopTimeout(options.stopTimeout())
                .retryPolicy(options.retryPolicy());
        queues.forEach(consumerOptions::queue);
        // In batch mode a batch whose time is up is handled on the listener's executor, so it needs one.
        this.consumer = DefaultConsumer.forService(connection, name, consumerOptions.build(), this::onMessage,
                this::onEndpointFailure, options.batchMode()).reportAs(this, ConnectionHealth.Kind.NOTIFICATION_LISTENER)
                .describeWith(this::describe);
        if (options.batchMode()) {
            batch = new Batch(DefaultConnection.of(connection).scheduler());
            consumer.onStopTaking(batch::giveBack);
        } else {
            batch = null;
        }
    }

    /** oslo's queues: {@code <topic>.<priority>} each, or one queue named after the pool with every binding. */
    private static List<Queue> queues(List<NotificationTarget> targets, Set<Priority> priorities, String pool,
                                      OsloTopology topology) {
        Map<String, Queue.Builder> byName = new LinkedHashMap<>();
        for (NotificationTarget target : targets) {
            Exchange exchange = OsloDeclarations.controlExchange(topology, target.exchange());
            for (Priority priority : priorities) {
                String key = target.routingKey(priority);
                String queue = pool == null ? key : pool;
                byName.computeIfAbsent(queue, name -> OsloDeclarations.topicQueue(topology, name))
                        .bind(Binding.to(exchange, key));
            }
        }
        return byName.values().stream().map(Queue.Builder::build).toList();
    }

    @Override
    public void start() {
        consumer.start();
        LOG.debug("{} consuming {}", name, queueNames());
    }

    /**
     * What a notification's handling is observed as: decoded here (kept on the message, so it is
     * decoded once), its trace context read from its oslo context.
     */
    private ProcessContext describe(String queue, DefaultMessage message) {
        Context carried;
        try {
            Notification notification = codec.decode(message.body());
            message.decoded(notification);
            carried = notification.context();
        } catch (DecodeException e) {
            carried = Context.empty();
        }
        Context fields = carried;
        ProcessContext context = connection.observations().processContext(Kind.CONSUMER,
                key -> fields.getString(key).orElse(null), queue, message);
        context.addLowCardinalityKeyValue(MessagingKey.SERVICE.withValue("notification_listener"));
        return context;
    }

    /** Runs as the consumer's handler: decodes, then dispatches (or adds to the batch). */
    private CompletionStage<?> onMessage(DefaultMessage message) throws EndpointFailure {
        Notification notification;
        try {
            notification = message.decoded() instanceof Notification decoded ? decoded : codec.decode(message.body());
        } catch (DecodeException e) {
            connection.monitor().poison();
            message.reject();
            LOG.warn("{}: rejected a message from queue '{}' (routing key '{}') without requeue, not a notification: {}",
                    name, message.queue(), message.routingKey(), e.getMessage());
            return null;
        }
        Received received = new Received(message, notification);
        if (batch != null) {
            return batch.add(received);
        }
        Outcome outcome = dispatch(notification);
        if (outcome == Outcome.FAILED) {
            throw new EndpointFailure(received);
        }
        settle(List.of(received), outcome);
        return null;
    }

    /** The failure policy: a notification whose endpoint failed is redelivered a bounded number of times. */
    private void onEndpointFailure(DefaultMessage message, String queue, Throwable cause) {
        if (cause instanceof EndpointFailure f) {
            settle(List.of(f.received), Outcome.FAILED);
        } else {
            LOG.error("{}: failed on a message from queue '{}'; rejected without requeue", name, queue, cause);
            message.reject();
        }
    }

    private Outcome dispatch(Notification n) {
        for (int i = 0; i < endpoints.size(); i++) {
            NotificationEndpoint endpoint = endpoints.get(i);
            if (!endpointPriorities.get(i).contains(n.priority()) || !endpoint.filter().matches(n)) {
                continue;
            }
            try {
                if (endpoint.handle(n) == NotificationResult.REQUEUE) {
                    return Outcome.REQUEUE;
                }
            } catch (Exception | AssertionError e) {
                LOG.error("{}: endpoint {} failed on {} notification {} ({})", name, endpoint, n.priority(),
                        n.messageId(), n.eventType(), e);
                return Outcome.FAILED;
            }
        }
        return Outcome.HANDLED;
    }

    /** oslo's batch dispatch: per priority group, each endpoint gets the notifications its filter passes. */
    private void dispatchBatch(List<Received> items) {
        Map<Priority, List<Received>> groups = new LinkedHashMap<>();
        for (Received r : items) {
            groups.computeIfAbsent(r.notification.priority(), p -> new ArrayList<>()).add(r);
        }
        groups.forEach((priority, group) -> {
            Outcome outcome = Outcome.HANDLED;
            for (int i = 0; i < endpoints.size() && outcome == Outcome.HANDLED; i++) {
                NotificationEndpoint endpoint = endpoints.get(i);
                if (!endpointPriorities.get(i).contains(priority)) {
                    continue;
                }
                List<Notification> passed = group.stream().map(Received::notification)
                        .filter(n -> endpoint.filter().matches(n)).toList();
                if (passed.isEmpty()) {
                    continue;
                }
                try {
                    if (endpoint.handleBatch(passed) == NotificationResult.REQUEUE) {
                        outcome = Outcome.REQUEUE;
                    }
                } catch (Exception | AssertionError e) {
                    LOG.error("{}: endpoint {} failed on a batch of {} {} notifications", name, endpoint, passed.size(),
                            priority, e);
                    outcome = Outcome.FAILED;
                }
            }
            settle(group, outcome);
        });
    }

    private void settle(List<Received> items, Outcome outcome) {
        for (Received r : items) {
            try {
                settle(r, outcome);
            } catch (MessagingException e) {
                LOG.warn("{}: could not settle notification {}: {}", name, r.notification.messageId(), e.getMessage());
            }
        }
    }

    private void settle(Received r, Outcome outcome) {
        Message m = r.message;
        String id = r.notification.messageId();
        switch (outcome) {
            case HANDLED -> {
                failures.forget(key(r));
                m.ack();
            }
            case REQUEUE -> {
                if (options.allowRequeue()) {
                    m.requeue();
                } else {
                    LOG.warn("{}: an endpoint asked to requeue notification {}, but requeueing is not allowed: acknowledged",
                            name, id);
                    m.ack();
                }
            }
            case FAILED -> {
                if (!options.allowRequeue()) {
                    LOG.error("{}: notification {} failed and requeueing is not allowed: acknowledged and dropped", name, id);
                    m.ack();
                    return;
                }
                int count = failures.failed(key(r));
                if (count > options.maxRedeliveries()) {
                    failures.forget(key(r));
                    connection.monitor().deadLettered();
                    LOG.error("{}: giving up on notification {} from queue '{}' after {} failed deliveries: rejected "
                            + "without requeue (dead-lettered if the queue has a dead-letter exchange)", name, id, m.queue(), count);
                    m.reject();
                } else {
                    m.requeue();
                }
            }
            default -> throw new IllegalStateException("unknown outcome " + outcome);
        }
    }

    private static String key(Received r) {
        String id = r.notification.messageId();
        return id != null ? id : "body:" + r.message.body().length + ":" + Arrays.hashCode(r.message.body());
    }

    private static void requeue(List<Received> items) {
        for (Received r : items) {
            try {
                r.message.requeue();
            } catch (MessagingException e) {
                LOG.debug("could not requeue {}: {}", r.message, e.getMessage());
            }
        }
    }
    @Override
    public boolean stop() {
        return consumer.stop(options.stopTimeout());
    }

    @Override
    public boolean stop(Duration timeout) {
        return consumer.stop(timeout);
    }

    @Override
    public CompletableFuture<Boolean> stopAsync(Duration timeout) {
        return consumer.stopAsync(timeout);
    }

    @Override
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return consumer.awaitTermination(timeout);
    }

    @Override
    public State state() {
        return consumer.state();
    }

    @Override
    public void addStateListener(StateListener listener) {
        consumer.addStateListener(listener);
    }

    @Override
    public void removeStateListener(StateListener listener) {
        consumer.removeStateListener(listener);
    }

    @Override
    public ListenerOptions options() {
        return options;
    }

    @Override
    public List<String> queueNames() {
        return queues.stream().map(Queue::name).toList();
    }

    @Override
    public String toString() {
        return name;
    }

    /** An endpoint failed on a notification: the failure policy decides between requeue and reject. */
    private static final class EndpointFailure extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Received received;

        EndpointFailure(Received received) {
            super("an endpoint failed on notification " + received.notification().messageId(), null, false, false);
            this.received = received;
        }
    }

    /**
     * Collects notifications until a batch is full or its time is up, then hands it to the endpoints.
     * Each message's handling completes when its batch has been handled and settled, so the
     * listener's stop waits for batches, and gives back the one still filling up.
     */
    private final class Batch {
        private final ScheduledExecutorService timer;
        private final List<Received> pending = new ArrayList<>();
        private CompletableFuture<Void> handled = new CompletableFuture<>();
        private ScheduledFuture<?> timeout;
        private long generation;

        Batch(ScheduledExecutorService timer) {
            this.timer = timer;
        }

        /** @return completes when the batch holding {@code r} has been handled */
        CompletionStage<?> add(Received r) {
            List<Received> full = null;
            CompletableFuture<Void> done;
            synchronized (this) {
                pending.add(r);
                done = handled;
                if (pending.size() >= options.batchSize()) {
                    full = take();
                } else if (pending.size() == 1) {
                    long mine = generation;
                    timeout = timer.schedule(() -> onTimeout(mine), options.batchTimeout().toMillis(), TimeUnit.MILLISECONDS);
                }
            }
            if (full != null) {
                // The message that fills a batch runs it, on the handler's thread.
                run(full, done);
            }
            return done;
        }

        /** Runs on the scheduler: hands the batch to the listener's executor, never runs endpoints here. */
        private void onTimeout(long batchGeneration) {
            List<Received> due;
            CompletableFuture<Void> done;
            synchronized (this) {
                if (batchGeneration != generation || pending.isEmpty()) {
                    return;
                }
                done = handled;
                due = take();
            }
            consumer.execute(() -> {
                if (consumer.isTaking()) {
                    run(due, done);
                } else {
                    // The listener stops: a batch that never started goes back to the broker.
                    requeue(due);
                    done.complete(null);
                }
            });
        }

        private void run(List<Received> items, CompletableFuture<Void> done) {
            try {
                dispatchBatch(items);
            } catch (RuntimeException e) {
                LOG.error("{}: a batch of {} notifications failed; requeued", name, items.size(), e);
                requeue(items);
            } finally {
                done.complete(null);
            }
        }

        /** Under the lock: the pending batch, the timer cancelled, a new batch begun. */
        private List<Received> take() {
            List<Received> full = List.copyOf(pending);
            pending.clear();
            generation++;
            handled = new CompletableFuture<>();
            if (timeout != null) {
                timeout.cancel(false);
                timeout = null;
            }
            return full;
        }

        /** On stop: the batch still filling up goes back to the broker. */
        void giveBack() {
            List<Received> left;
            CompletableFuture<Void> done;
            synchronized (this) {
                done = handled;
                left = take();
            }
            requeue(left);
            done.complete(null);
        }
    }
}
