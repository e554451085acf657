package io.seedmq.messaging.rpc.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.observation.transport.Kind;
import io.seedmq.messaging.AckMode;
import io.seedmq.messaging.Connection;
import io.seedmq.messaging.ConsumerOptions;
import io.seedmq.messaging.DecodeException;
import io.seedmq.messaging.EncodeException;
import io.seedmq.messaging.Exchange;
import io.seedmq.messaging.Message;
import io.seedmq.messaging.MessagingException;
import io.seedmq.messaging.Publish;
import io.seedmq.messaging.Queue;
import io.seedmq.messaging.internal.DefaultConnection;
import io.seedmq.messaging.internal.DefaultConsumer;
import io.seedmq.messaging.internal.DefaultMessage;
import io.seedmq.messaging.internal.Observations;
import io.seedmq.messaging.observation.ConnectionHealth;
import io.seedmq.messaging.observation.MessagingKey;
import io.seedmq.messaging.observation.ProcessContext;
import io.seedmq.messaging.oslo.Context;
import io.seedmq.messaging.oslo.OsloTopology;
import io.seedmq.messaging.oslo.internal.OsloCodec;
import io.seedmq.messaging.oslo.internal.OsloDeclarations;
import io.seedmq.messaging.rpc.InvalidTargetException;
import io.seedmq.messaging.rpc.RequestAck;
import io.seedmq.messaging.rpc.RpcServer;
import io.seedmq.messaging.rpc.RpcServerOptions;
import io.seedmq.messaging.rpc.Target;
import io.seedmq.messaging.rpc.internal.Failures.DispatchFailure;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
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
    private final RecentIds seen = new RecentIds(SEEN_IDS);
    private final ScheduledExecutorService heartbeats;
    private final DefaultConsumer consumer;
    private volatile Publish lastReply;

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
        this.dispatcher = new EndpointDispatcher(List.copyOf(endpoints), options.accessPolicy(), codec.mapper(),
                options.rpcPingEnabled());
        this.heartbeats = DefaultConnection.of(connection).scheduler();
        String topic = target.topic();
        OsloTopology topology = options.topology();
        Exchange control = OsloDeclarations.controlExchange(topology, target.exchangeOr(options.controlExchange()));
        Exchange fanout = OsloDeclarations.fanoutExchange(topology, topic);
        Queue shared = OsloDeclarations.topicQueue(topology, topic).bind(control, topic).build();
        String direct = topic + "." + target.server();
        Queue own = OsloDeclarations.topicQueue(topology, direct).bind(control, direct).build();
        Queue fanoutQueue = OsloDeclarations.fanoutQueue(topology, topic, fanout);
        ConsumerOptions consumerOptions = ConsumerOptions.builder().queue(shared).queue(own).queue(fanoutQueue)
                .prefetch(Math.min(65_535, options.concurrency() * 2)).ackMode(AckMode.MANUAL)
                .accept(OsloCodec.CONTENT_TYPE).concurrency(options.concurrency()).executor(options.executor())
                .stopTimeout(options.stopTimeout()).retryPolicy(options.retryPolicy()).build();
        this.consumer = DefaultConsumer.forService(connection, "RpcServer[" + target + "]", consumerOptions,
                this::process, this::failed, false).reportAs(this, ConnectionHealth.Kind.RPC_SERVER)
                .describeWith(this::describe);
    }

    /**
     * What a request's handling is observed as: decoded here (kept on the message, so it is decoded
     * once), its trace context read from its oslo context, its method a tag only when an endpoint
     * has it (oslo's {@code _OTHER} otherwise, so callers cannot grow the tag set).
     */
    private ProcessContext describe(String queue, DefaultMessage message) {
        Observations observations = DefaultConnection.of(connection).observations();
        ObjectNode request;
        try {
            request = codec.decode(message.body());
            message.decoded(request);
        } catch (DecodeException e) {
            request = codec.newMessage();
        }
        ObjectNode fields = request;
        ProcessContext context = observations.processContext(Kind.SERVER,
                key -> text(fields, OsloCodec.CONTEXT_PREFIX + key), queue, message);
        String method = text(request, "method");
        String tag = dispatcher.has(method, text(request, "namespace"), text(request, "version")) ? method : "_OTHER";
        context.setContextualName(target.topic() + "/" + tag);
        context.addLowCardinalityKeyValue(MessagingKey.RPC_SYSTEM.withValue("oslo_messaging"));
        context.addLowCardinalityKeyValue(MessagingKey.RPC_SERVICE.withValue(target.topic()));
        context.addLowCardinalityKeyValue(MessagingKey.RPC_METHOD.withValue(tag));
        return context;
    }

    @Override
    public void start() {
        consumer.start();
        LOG.debug("RPC server {} listening on {}", target, consumer.queueNames());
    }

    /** An unexpected failure while serving (a reply could not be encoded, a bug): logged, the request settled. */
    private void failed(DefaultMessage message, String queue, Throwable error) {
        LOG.error("RPC server {} failed on {}", target, message, error);
        settle(message, true);
    }

    /** @return {@code null} when the request is answered, or a stage completing when an asynchronous endpoint has been */
    private CompletionStage<?> process(DefaultMessage message) {
        if (options.ack() == RequestAck.ON_RECEIPT) {
            message.ack();
        }
        ObjectNode request;
        try {
            request = message.decoded() instanceof ObjectNode decoded ? decoded : codec.decode(message.body());
        } catch (DecodeException e) {
            LOG.error("RPC server {} rejects an undecodable request from queue {}: {}", target, message.queue(),
                    e.getMessage());
            DefaultConnection.of(connection).monitor().poison();
            settle(message, false);
            return null;
        }
        Context context = codec.unpackContext(request);
        String msgId = text(request, "_msg_id");
        String replyTo = text(request, "_reply_q");
        String uniqueId = text(request, OsloCodec.UNIQUE_ID);
        if (uniqueId != null && !seen.firstTime(uniqueId)) {
            LOG.debug("RPC server {} drops request {}: already received", target, uniqueId);
            settle(message, true);
            return null;
        }
        String method = text(request, "method");
        Reply reply = new Reply(message, method, msgId, replyTo, request.path("_timeout"));
        Object result;
        try {
            EndpointMethod endpoint = dispatcher.resolve(method, text(request, "namespace"), text(request, "version"));
            try {
                result = endpoint.invoke(context, request.get("args"));
            } catch (Throwable t) {
                if (!(t instanceof DispatchFailure) && endpoint.isExpected(t, options.expectedExceptions())) {
                    LOG.debug("RPC method {} raised expected {}", method, t.toString());
                } else {
                    logFailure(method, t);
                }
                reply.failure(t);
                return null;
            }
        } catch (DispatchFailure e) {
            LOG.warn("RPC server {}: {}", target, e.getMessage());
            reply.failure(e);
            return null;
        }
        if (result instanceof CompletionStage<?> stage) {
            return stage.handle((value, error) -> {
                if (error != null) {
                    Throwable cause = error instanceof CompletionException && error.getCause() != null
                            ? error.getCause() : error;
                    logFailure(method, cause);
                    reply.failure(cause);
                } else {
                    reply.result(value);
                }
                return null;
            });
        }
        reply.result(result);
        return null;
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
        private final DefaultMessage message;
        private final String method;
        private final String msgId;
        private final String replyTo;
        private final ScheduledFuture<?> heartbeat;

        Reply(DefaultMessage message, String method, String msgId, String replyTo, JsonNode callMonitorTimeout) {
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
                result = codec.toTree(value);
            } catch (IllegalArgumentException e) {
                failure(new EncodeException("the result of " + method + " cannot be written as JSON: " + e.getMessage(), e));
                return;
            }
            finish(result, null);
        }

        void failure(Throwable error) {
            ProcessContext observed = message.observed();
            if (observed != null) {
                observed.setError(error);
            }
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
                connection.producer().publishAsync(codec.encode(reply, true), replyPublish(replyTo))
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

    /**
     * @param replyTo a caller's reply queue
     * @return the publish template for it; the last one is kept, as most replies go to the same
     *     few callers and the producer caches per template
     */
    private Publish replyPublish(String replyTo) {
        Publish last = lastReply;
        if (last != null && last.routingKey().equals(replyTo)) {
            return last;
        }
        Publish publish = OsloCodec.properties(Publish.toQueue(replyTo));
        lastReply = publish;
        return publish;
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
    public Target target() {
        return target;
    }

    @Override
    public RpcServerOptions options() {
        return options;
    }

    @Override
    public List<String> queueNames() {
        return consumer.queueNames();
    }

    @Override
    public String toString() {
        return "RpcServer[" + target + ", " + consumer.state() + "]";
    }
}
