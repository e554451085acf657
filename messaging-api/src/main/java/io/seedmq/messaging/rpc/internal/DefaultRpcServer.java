package io.seedmq.messaging.rpc.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.seedmq.messaging.AckMode;
import io.seedmq.messaging.Connection;
import io.seedmq.messaging.Consumer;
import io.seedmq.messaging.ConsumerOptions;
import io.seedmq.messaging.Context;
import io.seedmq.messaging.DecodeException;
import io.seedmq.messaging.Exchange;
import io.seedmq.messaging.Message;
import io.seedmq.messaging.MessagingException;
import io.seedmq.messaging.Publish;
import io.seedmq.messaging.Queue;
import io.seedmq.messaging.internal.oslo.OsloCodec;
import io.seedmq.messaging.rpc.InvalidTargetException;
import io.seedmq.messaging.rpc.RequestAck;
import io.seedmq.messaging.rpc.RpcServer;
import io.seedmq.messaging.rpc.RpcServerOptions;
import io.seedmq.messaging.rpc.Target;
import io.seedmq.messaging.rpc.internal.Failures.DispatchFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link RpcServer}: oslo's server queues and dispatch on the public consumer API. */
public final class DefaultRpcServer implements RpcServer {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultRpcServer.class);

    /** How many request ids are remembered to recognise redeliveries. */
    private static final int SEEN_IDS = 4096;

    private final Connection connection;
    private final Target target;
    private final RpcServerOptions options;
    private final OsloCodec codec;
    private final EndpointDispatcher dispatcher;
    private final Set<String> seen = Collections.newSetFromMap(Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > SEEN_IDS;
        }
    }));
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicInteger threads = new AtomicInteger();
    private volatile State state = State.CREATED;
    private int inFlight;
    private ThreadPoolExecutor workers;
    private ScheduledThreadPoolExecutor heartbeats;
    private Consumer consumer;
    private List<String> queueNames = List.of();

    /**
     * @param connection the connection to serve on
     * @param target topic and server to listen on
     * @param endpoints the endpoint objects, in dispatch order
     * @param options how to run
     */
    public DefaultRpcServer(Connection connection, Target target, List<?> endpoints, RpcServerOptions options) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.target = Objects.requireNonNull(target, "target");
        this.options = Objects.requireNonNull(options, "options");
        if (target.topic() == null || target.topic().isEmpty() || target.server() == null || target.server().isEmpty()) {
            throw new InvalidTargetException("an RPC server's target needs a topic and a server name", target);
        }
        this.codec = new OsloCodec(RpcMessages.mapper(connection));
        this.dispatcher = new EndpointDispatcher(List.copyOf(endpoints), options.accessPolicy(), codec.mapper());
    }

    @Override
    public void start() {
        lock.lock();
        try {
            if (state == State.RUNNING) {
                return;
            }
            if (state != State.CREATED) {
                throw new IllegalStateException("RPC server " + target + " was stopped; create a new one");
            }
            String topic = target.topic();
            Exchange control = RpcMessages.controlExchange(target.exchangeOr(options.controlExchange()));
            Exchange fanout = RpcMessages.fanoutExchange(topic);
            Queue shared = Queue.builder(topic).durable(false).autoDelete(false).bind(control, topic).build();
            String direct = topic + "." + target.server();
            Queue own = Queue.builder(direct).durable(false).autoDelete(false).bind(control, direct).build();
            Queue fanoutQueue = Queue.builder(topic + "_fanout_" + OsloCodec.newId()).durable(false).autoDelete(false)
                    .expires(ReplyWaiter.REPLY_QUEUE_EXPIRES).bind(fanout, topic).build();
            workers = new ThreadPoolExecutor(options.workers(), options.workers(), 0, TimeUnit.MILLISECONDS,
                    new LinkedBlockingQueue<>(), r -> daemon(r, "seedmq-rpc-" + topic + "-" + threads.incrementAndGet()));
            heartbeats = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "seedmq-rpc-" + topic + "-heartbeats"));
            heartbeats.setRemoveOnCancelPolicy(true);
            consumer = connection.consumer(ConsumerOptions.builder().queue(shared).queue(own).queue(fanoutQueue)
                    .prefetch(options.workers() * 2).ackMode(AckMode.MANUAL).accept(OsloCodec.CONTENT_TYPE).build(),
                    this::receive);
            try {
                consumer.start();
            } catch (RuntimeException e) {
                workers.shutdownNow();
                heartbeats.shutdownNow();
                throw e;
            }
            queueNames = consumer.queueNames();
            state = State.RUNNING;
            LOG.debug("RPC server {} listening on {}", target, queueNames);
        } finally {
            lock.unlock();
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Runs on the consumer's delivery thread: hands the request to a worker. */
    private void receive(Message message) {
        lock.lock();
        try {
            inFlight++;
        } finally {
            lock.unlock();
        }
        try {
            workers.execute(new Request(message));
        } catch (RejectedExecutionException e) {
            done();
            message.requeue();
        }
    }

    private void done() {
        lock.lock();
        try {
            if (--inFlight == 0) {
                idle.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** A request received and waiting for, or running on, a worker. */
    private final class Request implements Runnable {
        private final Message message;

        Request(Message message) {
            this.message = message;
        }

        @Override
        public void run() {
            boolean finishesLater = false;
            try {
                finishesLater = process(message);
            } catch (RuntimeException | Error e) {
                LOG.error("RPC server {} failed on {}", target, message, e);
                settle(message, true);
            } finally {
                if (!finishesLater) {
                    done();
                }
            }
        }
    }

    /** @return whether the request finishes later (an asynchronous endpoint), which then calls done() */
    private boolean process(Message message) {
        if (options.ack() == RequestAck.ON_RECEIPT) {
            message.ack();
        }
        ObjectNode request;
        try {
            request = codec.decode(message.body());
        } catch (DecodeException e) {
            LOG.error("RPC server {} rejects an undecodable request from queue {}: {}", target, message.queue(),
                    e.getMessage());
            settle(message, false);
            return false;
        }
        Context context = codec.unpackContext(request);
        String msgId = text(request, "_msg_id");
        String replyTo = text(request, "_reply_q");
        String uniqueId = text(request, OsloCodec.UNIQUE_ID);
        if (uniqueId != null && !seen.add(uniqueId)) {
            LOG.debug("RPC server {} drops request {}: already received", target, uniqueId);
            settle(message, true);
            return false;
        }
        String method = text(request, "method");
        Reply reply = new Reply(message, method, msgId, replyTo, request.path("_timeout"));
        Object result;
        try {
            EndpointMethod endpoint = dispatcher.resolve(method, text(request, "namespace"), text(request, "version"));
            try {
                result = endpoint.invoke(codec.mapper(), context, request.get("args"));
            } catch (Throwable t) {
                if (!(t instanceof DispatchFailure) && endpoint.isExpected(t, options.expectedExceptions())) {
                    LOG.debug("RPC method {} raised expected {}", method, t.toString());
                } else {
                    logFailure(method, t);
                }
                reply.failure(t);
                return false;
            }
        } catch (DispatchFailure e) {
            LOG.warn("RPC server {}: {}", target, e.getMessage());
            reply.failure(e);
            return false;
        }
        if (result instanceof CompletionStage<?> stage) {
            stage.whenComplete((value, error) -> {
                try {
                    if (error != null) {
                        Throwable cause = error instanceof CompletionException && error.getCause() != null
                                ? error.getCause() : error;
                        logFailure(method, cause);
                        reply.failure(cause);
                    } else {
                        reply.result(value);
                    }
                } finally {
                    done();
                }
            });
            return true;
        }
        reply.result(result);
        return false;
    }

    private void logFailure(String method, Throwable t) {
        if (t instanceof DispatchFailure) {
            LOG.warn("RPC server {}: {}", target, t.getMessage());
        } else {
            LOG.error("RPC method {} on {} failed", method, target, t);
        }
    }

    /** Answers one request: its result or failure, heartbeats meanwhile when the caller asked. */
    private final class Reply {
        private final Message message;
        private final String method;
        private final String msgId;
        private final String replyTo;
        private final ScheduledFuture<?> heartbeat;

        Reply(Message message, String method, String msgId, String replyTo, JsonNode callMonitorTimeout) {
            this.message = message;
            this.method = method;
            this.msgId = msgId;
            this.replyTo = replyTo;
            // A caller with a call monitor (oslo's call_monitor_timeout) expects a sign of life
            // every half of it while the method runs.
            long periodMillis = callMonitorTimeout.isNumber() ? (long) (callMonitorTimeout.asDouble() * 500) : 0;
            this.heartbeat = msgId != null && replyTo != null && periodMillis > 0
                    ? heartbeats.scheduleAtFixedRate(() -> send(null, null, false), periodMillis, periodMillis,
                            TimeUnit.MILLISECONDS)
                    : null;
        }

        void result(Object value) {
            JsonNode result;
            try {
                result = codec.mapper().valueToTree(value);
            } catch (IllegalArgumentException e) {
                failure(new DecodeException("the result of " + method + " cannot be written as JSON: " + e.getMessage(), e));
                return;
            }
            finish(result, null);
        }

        void failure(Throwable error) {
            finish(null, codec.write(Failures.toFailure(codec.mapper(), error)));
        }

        private void finish(JsonNode result, String failure) {
            if (heartbeat != null) {
                heartbeat.cancel(false);
            }
            send(result, failure, true);
            settle(message, true);
        }

        private void send(JsonNode result, String failure, boolean ending) {
            if (msgId == null || replyTo == null) {
                return;
            }
            ObjectNode reply = codec.newMessage();
            reply.set("result", result == null ? codec.mapper().nullNode() : result);
            if (failure == null) {
                reply.putNull("failure");
            } else {
                reply.put("failure", failure);
            }
            reply.put("ending", ending);
            reply.put("_msg_id", msgId);
            reply.put(OsloCodec.UNIQUE_ID, OsloCodec.newId());
            try {
                connection.producer().publishAsync(codec.encode(reply, true), OsloCodec.properties(Publish.toQueue(replyTo)))
                        .whenComplete((ok, e) -> {
                            if (e != null) {
                                LOG.warn("reply to {} ({}) could not be sent to {}: {}", method, msgId, replyTo, e.toString());
                            }
                        });
            } catch (MessagingException e) {
                LOG.warn("reply to {} ({}) could not be sent to {}: {}", method, msgId, replyTo, e.toString());
            }
        }
    }

    /** Acks (or rejects without requeue) unless the request was already acked on receipt. */
    private static void settle(Message message, boolean ack) {
        if (message.isSettled()) {
            return;
        }
        try {
            if (ack) {
                message.ack();
            } else {
                message.reject();
            }
        } catch (MessagingException e) {
            LOG.debug("settling {} failed: {}", message, e.toString());
        }
    }

    private static String text(ObjectNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    @Override
    public boolean stop(Duration timeout) {
        lock.lock();
        try {
            if (state == State.STOPPED || state == State.STOPPING) {
                return inFlight == 0;
            }
            if (state == State.CREATED) {
                state = State.STOPPED;
                stopped.countDown();
                return true;
            }
            state = State.STOPPING;
        } finally {
            lock.unlock();
        }
        consumer.cancel();
        // Requests received but not started go back to the broker for another server.
        List<Runnable> waiting = new ArrayList<>();
        workers.getQueue().drainTo(waiting);
        for (Runnable r : waiting) {
            Message m = ((Request) r).message;
            if (!m.isSettled()) {
                try {
                    m.requeue();
                } catch (MessagingException e) {
                    LOG.debug("requeueing {} on stop failed: {}", m, e.toString());
                }
            }
            done();
        }
        boolean finished = awaitIdle(timeout);
        if (!finished) {
            LOG.warn("RPC server {} stopped with requests still running after {} ms", target, timeout.toMillis());
        }
        workers.shutdown();
        heartbeats.shutdownNow();
        consumer.close();
        state = State.STOPPED;
        stopped.countDown();
        return finished;
    }

    private boolean awaitIdle(Duration timeout) {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (inFlight > 0) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = idle.awaitNanos(nanos);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return inFlight == 0;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void await() throws InterruptedException {
        stopped.await();
    }

    @Override
    public boolean await(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public State state() {
        return state;
    }

    @Override
    public Target target() {
        return target;
    }

    @Override
    public RpcServerOptions options() {
        return options;
    }

    @Override
    public List<String> queueNames() {
        return queueNames;
    }

    @Override
    public String toString() {
        return "RpcServer[" + target + ", " + state + "]";
    }
}
