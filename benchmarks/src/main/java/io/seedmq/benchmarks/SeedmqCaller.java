package io.seedmq.benchmarks;

import io.seedmq.messaging.Connection;
import io.seedmq.messaging.ConnectionOptions;
import io.seedmq.messaging.oslo.Context;
import io.seedmq.messaging.oslo.OsloTopology;
import io.seedmq.messaging.rpc.RpcClient;
import io.seedmq.messaging.rpc.RpcClientOptions;
import io.seedmq.messaging.rpc.RpcServer;
import io.seedmq.messaging.rpc.RpcServerOptions;
import io.seedmq.messaging.rpc.Target;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * seedmq's {@link RpcClient} calling its {@link RpcServer} (oslo.messaging's protocol, JSON
 * envelope, endpoint dispatch by name), each on a connection of its own, both declaring as one
 * {@link OsloTopology} says.
 */
final class SeedmqCaller implements Caller {

    private final Connection serverConnection;
    private final Connection clientConnection;
    private final RpcServer server;
    private final RpcClient client;
    private final String topic;
    private final Target target;
    private final OsloTopology topology;
    private final int serverConcurrency;

    /** On {@link OsloTopology#defaults()}. */
    SeedmqCaller(String url, String topic) {
        this(ConnectionOptions.fromUrl(url), topic, OsloTopology.defaults());
    }

    /** On {@link OsloTopology#historical()}: transient queues and messages, as the raw references'. */
    static SeedmqCaller historical(String url, String topic) {
        return new SeedmqCaller(url, topic, OsloTopology.historical());
    }

    /**
     * On {@link OsloTopology#historical()}, the server with {@code concurrency(1)}: the endpoint runs
     * on the thread that delivers the request, as the raw server's does.
     */
    static SeedmqCaller historicalOneAtATime(String url, String topic) {
        return new SeedmqCaller(ConnectionOptions.fromUrl(url), topic, OsloTopology.historical(), 1);
    }

    /** Client and server declaring as {@code topology} says. */
    SeedmqCaller(String url, String topic, OsloTopology topology) {
        this(ConnectionOptions.fromUrl(url), topic, topology);
    }

    /** Client and server on connections with these options, declaring as {@code topology} says. */
    SeedmqCaller(ConnectionOptions options, String topic, OsloTopology topology) {
        this(options, topic, topology, RpcServerOptions.builder().build().concurrency());
    }

    /** As above, the server running at most {@code serverConcurrency} endpoint calls at once. */
    SeedmqCaller(ConnectionOptions options, String topic, OsloTopology topology, int serverConcurrency) {
        this.topology = topology;
        this.serverConcurrency = serverConcurrency;
        this.topic = topic;
        // A control exchange of its own: the broker may hold another application's "openstack".
        this.target = Target.topic(topic).withServer("bench").withExchange(topic + "-x");
        this.serverConnection = Connection.open(options);
        this.clientConnection = Connection.open(options);
        this.server = RpcServer.create(serverConnection, target, List.of(new Adder()),
                RpcServerOptions.builder().topology(topology).concurrency(serverConcurrency).build());
        server.start();
        this.client = RpcClient.create(clientConnection, Target.topic(topic).withExchange(topic + "-x"),
                RpcClientOptions.builder().topology(topology).build());
    }

    @Override
    public CompletableFuture<Integer> add(int x, int y) {
        return client.callAsync(Context.empty(), "add", Map.of("x", x, "y", y), Integer.class);
    }

    @Override
    public void close() {
        try {
            server.stop();
            for (String queue : server.queueNames()) {
                serverConnection.deleteQueue(queue);
            }
            serverConnection.deleteExchange(topic + "-x", false);
        } finally {
            clientConnection.close();
            serverConnection.close();
        }
    }

    @Override
    public String toString() {
        return "seedmq RPC on " + topic + " (" + target + ", " + topology + ", server concurrency "
                + serverConcurrency + ")";
    }
}
