package io.seedmq.messaging.rpc.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.observation.Observation;
import io.seedmq.messaging.Connection;
import io.seedmq.messaging.DecodeException;
import io.seedmq.messaging.Exchange;
import io.seedmq.messaging.MessagingException;
import io.seedmq.messaging.Publish;
import io.seedmq.messaging.internal.DefaultConnection;
import io.seedmq.messaging.internal.Observations;
import io.seedmq.messaging.observation.RpcCallContext;
import io.seedmq.messaging.oslo.Context;
import io.seedmq.messaging.oslo.internal.OsloCodec;
import io.seedmq.messaging.oslo.internal.OsloDeclarations;
import io.seedmq.messaging.retry.RetryPolicy;
import io.seedmq.messaging.rpc.InvalidTargetException;
import io.seedmq.messaging.rpc.RpcClient;
import io.seedmq.messaging.rpc.RpcClientOptions;
import io.seedmq.messaging.rpc.RpcTimeoutException;
import io.seedmq.messaging.rpc.Target;
import io.seedmq.messaging.rpc.VersionCapException;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** The {@link RpcClient}: oslo's request format on the public producer and consumer API. */
public final class DefaultRpcClient implements RpcClient {

    private final Connection connection;
    private final Target target;
    private final RpcClientOptions options;
    private final OsloCodec codec;
    /** Where calls go; one instance per client, so the producer's per-template caches hit. */
    private final Publish callPublish;
    /** Where casts go. */
    private final Publish castPublish;
    /** The connection's observations, or {@code null} when it observes nothing. */
    private final Observations observations;
    /** The reply queue last used, kept so a call skips the connection's locked lookup. */
    private volatile ReplyWaiter waiter;

    /**
     * @param connection the connection to send on
     * @param target where requests go
     * @param options how they are sent
     */
    public DefaultRpcClient(Connection connection, Target target, RpcClientOptions options) {
        this(connection, target, options, new OsloCodec(RpcMessages.mapper(connection)));
    }

    private DefaultRpcClient(Connection connection, Target target, RpcClientOptions options, OsloCodec codec) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.target = Objects.requireNonNull(target, "target");
        this.options = Objects.requireNonNull(options, "options");
        this.codec = codec;
        boolean routable = target.topic() != null && !target.topic().isEmpty();
        this.callPublish = routable ? topicPublish().expiration(options.timeout()) : null;
        this.castPublish = !routable ? null : target.fanout() ? fanoutPublish() : topicPublish();
        Observations o = DefaultConnection.of(connection).observations();
        this.observations = o.enabled() ? o : null;
    }

    @Override
    public Target target() {
        return target;
    }

    @Override
    public RpcClientOptions options() {
        return options;
    }

    @Override
    public <T> T call(Context context, String method, Map<String, ?> args, Class<T> resultType) {
        return await(callAsync(context, method, args, codec.mapper().constructType(resultType)), method);
    }

    @Override
    public <T> T call(Context context, String method, Map<String, ?> args, TypeReference<T> resultType) {
        return await(callAsync(context, method, args, codec.mapper().constructType(resultType)), method);
    }

    @Override
    public <T> CompletableFuture<T> callAsync(Context context, String method, Map<String, ?> args, Class<T> resultType) {
        return callAsync(context, method, args, codec.mapper().constructType(resultType));
    }

    @Override
    public <T> CompletableFuture<T> callAsync(Context context, String method, Map<String, ?> args,
                                              TypeReference<T> resultType) {
        return callAsync(context, method, args, codec.mapper().constructType(resultType));
    }

    /** A call of any result type, as the proxy of an RPC interface makes it from a method's generic return type. */
    <T> CompletableFuture<T> callAsync(Context context, String method, Map<String, ?> args, JavaType resultType) {
        if (target.fanout()) {
            throw new InvalidTargetException("a call cannot go to a fanout target, only a cast can", target);
        }
        ObjectNode request = request(method, args);
        ReplyWaiter waiter = replyWaiter();
        String msgId = OsloCodec.newId();
        request.put("_msg_id", msgId);
        request.put("_reply_q", waiter.queue());
        request.putNull("_timeout");
        finish(request, context);
        Observation observation = observations == null ? null
                : observations.startRpcCall(target.topic(), method, target.server(), false);
        if (observation != null) {
            propagate(request, observation);
        }
        Duration timeout = options.timeout();
        CompletableFuture<ObjectNode> reply = waiter.register(msgId, timeout,
                () -> new RpcTimeoutException(target, method, timeout));
        CompletableFuture<T> result = reply.thenApply(r -> this.<T>result(r, method, resultType));
        // Cancelling the caller's future must free the waiter at once, not at the timeout.
        result.whenComplete((r, e) -> {
            if (result.isCancelled()) {
                reply.cancel(false);
            }
            if (observation != null) {
                Observations.stopRpcCall(observation, e);
            }
        });
        // The request's publish is a child of the call.
        try (Observation.Scope scope = observation == null ? null : observation.openScope()) {
            connection.producer().publishAsync(codec.encode(request, true), callPublish)
                    .whenComplete((ok, e) -> {
                        if (e != null) {
                            waiter.fail(msgId, e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
                        }
                    });
        } catch (RuntimeException e) {
            waiter.fail(msgId, e);
        }
        return result;
    }

    /**
     * @return the connection's reply queue, declared and consumed on first use under this
     *     client's retry policy (each attempt declares once), so oslo's {@code retry} bounds a call
     *     made right after an outage as it bounds the publish
     */
    private ReplyWaiter replyWaiter() {
        ReplyWaiter known = waiter;
        if (known != null && !known.isClosed()) {
            return known;
        }
        ReplyWaiter found = lookUpReplyWaiter();
        waiter = found;
        return found;
    }

    private ReplyWaiter lookUpReplyWaiter() {
        DefaultConnection c = DefaultConnection.of(connection);
        RetryPolicy policy = options.retry() != null ? options.retry() : connection.options().retryPolicy();
        return policy.execute(() -> "set up the reply queue for " + target,
                () -> c.shared(ReplyWaiter.class, options.topology(),
                        x -> new ReplyWaiter(x, codec, OsloDeclarations.replyQueue(options.topology()))));
    }

    @Override
    public void cast(Context context, String method, Map<String, ?> args) {
        ObjectNode request = request(method, args);
        finish(request, context);
        if (observations == null) {
            connection.producer().publish(codec.encode(request, true), castPublish);
            return;
        }
        Observation observation = observations.startRpcCall(target.topic(), method, target.server(), true);
        propagate(request, observation);
        try (Observation.Scope scope = observation.openScope()) {
            connection.producer().publish(codec.encode(request, true), castPublish);
        } catch (RuntimeException | Error e) {
            Observations.stopRpcCall(observation, e);
            throw e;
        }
        Observations.stopRpcCall(observation, null);
    }

    /**
     * Sends the call's trace context in the request's oslo context, after the caller's entries so
     * it wins over a trace context the caller passed on from a request it received.
     */
    private static void propagate(ObjectNode request, Observation observation) {
        ((RpcCallContext) observation.getContext()).getCarrier()
                .forEach((key, value) -> request.put(OsloCodec.CONTEXT_PREFIX + key, value));
    }

    /** The request's first fields, in oslo's order: method, args, namespace, version. */
    private ObjectNode request(String method, Map<String, ?> args) {
        Objects.requireNonNull(method, "method");
        if (target.topic() == null || target.topic().isEmpty()) {
            throw new InvalidTargetException("a request needs a topic", target);
        }
        if (options.versionCap() != null) {
            String version = target.version() == null ? "1.0" : target.version();
            if (!Versions.compatible(options.versionCap(), version)) {
                throw new VersionCapException(version, options.versionCap());
            }
        }
        ObjectNode request = codec.newMessage();
        request.put("method", method);
        JsonNode argsNode = codec.toTree(args == null ? Map.of() : args);
        request.set("args", argsNode);
        if (target.namespace() != null) {
            request.put("namespace", target.namespace());
        }
        if (target.version() != null) {
            request.put("version", target.version());
        }
        return request;
    }

    private void finish(ObjectNode request, Context context) {
        request.put(OsloCodec.UNIQUE_ID, OsloCodec.newId());
        codec.packContext(request, context == null ? Context.empty() : context);
    }

    private Publish fanoutPublish() {
        Exchange fanout = OsloDeclarations.fanoutExchange(options.topology(), target.topic());
        return OsloCodec.properties(Publish.to(fanout).declare(fanout).mandatory(options.failIfUnroutable()))
                .retry(options.retry());
    }

    private Publish topicPublish() {
        Exchange exchange = OsloDeclarations.controlExchange(options.topology(),
                target.exchangeOr(options.controlExchange()));
        String key = target.server() == null ? target.topic() : target.topic() + "." + target.server();
        return OsloCodec.properties(Publish.to(exchange).routingKey(key).declare(exchange)
                .mandatory(options.failIfUnroutable())).retry(options.retry());
    }

    private <T> T result(ObjectNode reply, String method, JavaType type) {
        JsonNode failure = reply.get("failure");
        if (failure != null && !failure.isNull()) {
            throw Failures.fromFailure(codec.mapper(), failure);
        }
        JsonNode result = reply.get("result");
        if (type.getRawClass() == Void.class || type.getRawClass() == void.class) {
            return null;
        }
        try {
            // Read from the tree as it stands: convertValue would first copy it into a token buffer.
            return codec.mapper().readerFor(type).readValue(result == null ? codec.mapper().nullNode() : result);
        } catch (IOException | IllegalArgumentException e) {
            throw new DecodeException("the result of " + method + " is not a " + type.toCanonical() + ": "
                    + e.getMessage(), e);
        }
    }

    static <T> T await(CompletableFuture<T> future, String method) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new MessagingException("call to " + method + " failed", cause);
        } catch (InterruptedException e) {
            future.cancel(false);
            Thread.currentThread().interrupt();
            throw new MessagingException("interrupted while waiting for the reply to " + method, e);
        }
    }

    @Override
    public <T> T proxy(Class<T> api) {
        return RpcProxy.create(api, this, codec.mapper());
    }

    @Override
    public boolean canSendVersion(String version) {
        return options.versionCap() == null || Versions.compatible(options.versionCap(), version);
    }

    @Override
    public Builder prepare() {
        return new Preparer();
    }

    @Override
    public String toString() {
        return "RpcClient[" + target + ", timeout " + options.timeout().toMillis() + " ms]";
    }

    private final class Preparer implements Builder {
        private Target next = target;
        private final RpcClientOptions.Builder nextOptions = options.toBuilder();

        @Override
        public Builder exchange(String exchange) {
            next = next.withExchange(exchange);
            return this;
        }

        @Override
        public Builder topic(String topic) {
            next = next.withTopic(topic);
            return this;
        }

        @Override
        public Builder server(String server) {
            next = next.withServer(server);
            return this;
        }

        @Override
        public Builder namespace(String namespace) {
            next = next.withNamespace(namespace);
            return this;
        }

        @Override
        public Builder version(String version) {
            next = next.withVersion(version);
            return this;
        }

        @Override
        public Builder fanout(boolean fanout) {
            next = next.withFanout(fanout);
            return this;
        }

        @Override
        public Builder timeout(Duration timeout) {
            nextOptions.timeout(timeout);
            return this;
        }

        @Override
        public Builder versionCap(String versionCap) {
            nextOptions.versionCap(versionCap);
            return this;
        }

        @Override
        public Builder retry(RetryPolicy retry) {
            nextOptions.retry(retry);
            return this;
        }

        @Override
        public RpcClient build() {
            return new DefaultRpcClient(connection, next, nextOptions.build(), codec);
        }
    }
}
