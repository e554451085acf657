package io.seedmq.messaging.notify.internal;

import io.seedmq.messaging.Binding;
import io.seedmq.messaging.Connection;
import io.seedmq.messaging.ConsumerOptions;
import io.seedmq.messaging.ConsumerWorker;
import io.seedmq.messaging.DecodeException;
import io.seedmq.messaging.Exchange;
import io.seedmq.messaging.Message;
import io.seedmq.messaging.MessagingException;
import io.seedmq.messaging.Queue;
import io.seedmq.messaging.WorkerState;
import io.seedmq.messaging.notify.ListenerOptions;
import io.seedmq.messaging.notify.Notification;
import io.seedmq.messaging.notify.NotificationEndpoint;
import io.seedmq.messaging.notify.NotificationListener;
import io.seedmq.messaging.notify.NotificationResult;
import io.seedmq.messaging.notify.NotificationTarget;
import io.seedmq.messaging.notify.Priority;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link NotificationListener}: a {@link ConsumerWorker} consumes the queues and hands each
 * decoded notification to an executor, which runs the endpoints and settles the message.
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

    private final Connection connection;
    private final List<NotificationEndpoint> endpoints;
    private final List<Set<Priority>> endpointPriorities = new ArrayList<>();
    private final ListenerOptions options;
    private final NotificationCodec codec;
    private final List<Queue> queues;
    private final String name;
    private final RedeliveryCounter failures = new RedeliveryCounter(REMEMBERED_FAILURES);
    private final AtomicReference<WorkerState> state = new AtomicReference<>(WorkerState.STOPPED);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean stopping;
    private volatile boolean lastStopClean = true;
    private boolean used;
    private ConsumerWorker worker;
    private ExecutorService executor;
    private ScheduledExecutorService timer;
    private Batch batch;

    /**
     * @param connection the connection
     * @param targets topics and exchanges
     * @param endpoints the endpoints
     * @param options the options
     */
    public DefaultNotificationListener(Connection connection, List<NotificationTarget> targets,
                                       List<? extends NotificationEndpoint> endpoints, ListenerOptions options) {
        this.connection = Objects.requireNonNull(connection, "connection");
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
        this.queues = queues(List.copyOf(targets), handled, options.pool());
        this.name = "NotificationListener-" + IDS.incrementAndGet()
                + (options.pool() == null ? "" : "[pool " + options.pool() + "]");
    }

    /** oslo's queues: {@code <topic>.<priority>} each, or one queue named after the pool with every binding. */
    private static List<Queue> queues(List<NotificationTarget> targets, Set<Priority> priorities, String pool) {
        Map<String, Queue.Builder> byName = new LinkedHashMap<>();
        for (NotificationTarget target : targets) {
            Exchange exchange = NotificationTopology.exchange(target.exchange());
            for (Priority priority : priorities) {
                String key = target.routingKey(priority);
                String queue = pool == null ? key : pool;
                byName.computeIfAbsent(queue, NotificationTopology::queue).bind(Binding.to(exchange, key));
            }
        }
        return byName.values().stream().map(Queue.Builder::build).toList();
    }

    @Override
    public void start() {
        synchronized (this) {
            if (used) {
                throw new IllegalStateException(name + " was started before; a listener runs once");
            }
            used = true;
        }
        setState(WorkerState.STARTING);
        AtomicInteger threads = new AtomicInteger();
        executor = new ThreadPoolExecutor(options.executorSize(), options.executorSize(), 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), r -> daemon(r, name + "-" + threads.incrementAndGet()));
        if (options.batchMode()) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, name + "-batch-timer"));
            batch = new Batch();
        }
        int prefetch = Math.min(65_535, (options.executorSize() + 1) * options.batchSize());
        ConsumerWorker.Builder builder = ConsumerWorker.builder(connection).name(name).stopTimeout(options.stopTimeout());
        for (Queue queue : queues) {
            builder.consume(ConsumerOptions.builder().queue(queue).prefetch(prefetch).build(), this::onMessage);
        }
        worker = builder.build();
        worker.addStateListener(this::onWorkerState);
        try {
            worker.start();
        } catch (RuntimeException e) {
            shutDownExecutors();
            setState(WorkerState.STOPPED);
            stopped.countDown();
            throw e;
        }
        state.compareAndSet(WorkerState.STARTING, WorkerState.CONSUMING);
        LOG.debug("{} consuming {}", name, queueNames());
    }

    private void onWorkerState(WorkerState from, WorkerState to) {
        if (stopping) {
            return;
        }
        if (to == WorkerState.RECOVERING || to == WorkerState.CONSUMING && from == WorkerState.RECOVERING) {
            setState(to);
        } else if (to == WorkerState.STOPPED && from != WorkerState.STARTING) {
            // The worker gave up (recovery failed): finish the handlers and report STOPPED.
            Thread t = new Thread(() -> stop(options.stopTimeout()), name + "-stopper");
            t.setDaemon(true);
            t.start();
        }
    }

    private void onMessage(Message message) {
        Notification notification;
        try {
            notification = codec.decode(message.body());
        } catch (DecodeException e) {
            message.reject();
            LOG.warn("{}: rejected a message from queue '{}' (routing key '{}') without requeue, not a notification: {}",
                    name, message.queue(), message.routingKey(), e.getMessage());
            return;
        }
        Received received = new Received(message, notification);
        if (batch != null) {
            batch.add(received);
        } else {
            submit(List.of(received));
        }
    }

    private void submit(List<Received> items) {
        try {
            executor.execute(() -> {
                if (stopping) {
                    requeue(items);
                } else if (batch != null) {
                    dispatchBatch(items);
                } else {
                    Received r = items.get(0);
                    settle(items, dispatch(r.notification));
                }
            });
        } catch (RejectedExecutionException e) {
            requeue(items);
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
        return stop(options.stopTimeout());
    }

    @Override
    public boolean stop(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        synchronized (this) {
            if (!used) {
                used = true;
                stopping = true;
                stopped.countDown();
                return true;
            }
            if (stopping) {
                return awaitStopped(timeout.plus(connection.options().operationTimeout())) && lastStopClean;
            }
            stopping = true;
        }
        setState(WorkerState.STOPPING);
        Instant deadline = Instant.now().plus(timeout);
        boolean clean = worker == null || worker.stop(timeout);
        if (batch != null) {
            requeue(batch.drain());
        }
        executor.shutdown();
        try {
            clean &= executor.awaitTermination(Math.max(0, Duration.between(Instant.now(), deadline).toMillis()),
                    TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            clean = false;
        }
        if (!clean) {
            LOG.warn("{}: handlers still running after {}; their notifications are settled when they finish", name, timeout);
        }
        shutDownExecutors();
        lastStopClean = clean;
        setState(WorkerState.STOPPED);
        stopped.countDown();
        return clean;
    }

    private void shutDownExecutors() {
        if (timer != null) {
            timer.shutdownNow();
        }
        if (executor != null) {
            executor.shutdown();
        }
    }

    private boolean awaitStopped(Duration timeout) {
        try {
            return await(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public boolean await(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public WorkerState state() {
        return state.get();
    }

    @Override
    public List<String> queueNames() {
        return queues.stream().map(Queue::name).toList();
    }

    @Override
    public void close() {
        stop();
    }

    private void setState(WorkerState to) {
        WorkerState from = state.getAndSet(to);
        if (from != to) {
            LOG.debug("{}: {} -> {}", name, from, to);
        }
    }

    private static Thread daemon(Runnable r, String threadName) {
        Thread t = new Thread(r, threadName);
        t.setDaemon(true);
        return t;
    }

    @Override
    public String toString() {
        return name;
    }

    /** Collects notifications until a batch is full or its time is up, then hands it to the executor. */
    private final class Batch {
        private final List<Received> pending = new ArrayList<>();
        private ScheduledFuture<?> timeout;
        private long generation;

        synchronized void add(Received r) {
            pending.add(r);
            if (pending.size() >= options.batchSize()) {
                flush();
            } else if (pending.size() == 1) {
                long mine = generation;
                timeout = timer.schedule(() -> onTimeout(mine), options.batchTimeout().toMillis(), TimeUnit.MILLISECONDS);
            }
        }

        private synchronized void onTimeout(long batchGeneration) {
            if (batchGeneration == generation && !pending.isEmpty()) {
                flush();
            }
        }

        private void flush() {
            List<Received> full = List.copyOf(pending);
            pending.clear();
            generation++;
            if (timeout != null) {
                timeout.cancel(false);
                timeout = null;
            }
            submit(full);
        }

        synchronized List<Received> drain() {
            List<Received> left = List.copyOf(pending);
            pending.clear();
            generation++;
            return left;
        }
    }
}
