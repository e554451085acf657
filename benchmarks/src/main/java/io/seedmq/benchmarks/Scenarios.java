package io.seedmq.benchmarks;

import io.seedmq.benchmarks.PublishConsume.Load;
import io.seedmq.messaging.ConnectionOptions;
import io.seedmq.messaging.oslo.OsloTopology;
import java.util.List;

/**
 * The catalogue: every scenario of issue 7 that can run, in the order, then the observed
 * ones (ids starting with {@code o}: seedmq with a registry against seedmq without, issue 15's cost).
 * Scenarios 1, 1b, 2, 4a, 4b and 5 also run Spring AMQP as a third side (issue 16), doing the same
 * work as their raw reference.
 */
public final class Scenarios {

    /** As many confirms outstanding as scenario 2 allows. */
    private static final int CONFIRM_WINDOW = 100;
    /** Consumer prefetch of scenario 2. */
    private static final int PREFETCH = 100;
    /** Keeps an in-process producer from filling the heap when it outruns its consumer. */
    private static final int IN_MEMORY_BACKLOG = 10_000;
    /** Calls in flight in scenario 4b. */
    private static final int RPC_OUTSTANDING = 16;
    /** The observed scenarios' metrics and traces, made on first use. */
    private static Telemetry telemetry;
    private static final List<Metric> THROUGHPUT_95 = List.of(Metric.higher(Probe.Throughput.METRIC, "≥ 0.95"));

    private Scenarios() {
    }

    /** @return every scenario, in the order */
    public static List<Scenario> all() {
        return List.of(amqpTransient(), amqpTransientVsFireAndForget(), amqpConfirmed(), amqpLatency(),
                rpcSequential(), rpcPipelined(), rpcOnDefaults(false), rpcOnDefaults(true),
                rpcAgainstOsloProtocol(1), rpcAgainstOsloProtocol(RPC_OUTSTANDING), rpcSequentialOneAtATime(), notifications(), inMemory("6a", false), inMemory("6b", true), simpleQueue(),
                rpcInMemory(), new MemoryStream(), observedTransient(), observedRpc(), observedInMemory());
    }

    private static ConnectionOptions plain(String url) {
        return ConnectionOptions.fromUrl(url);
    }

    /** One registry for the process, as an application has: metrics and traces of the observed side. */
    private static synchronized ConnectionOptions observed(String url) {
        if (telemetry == null) {
            telemetry = new Telemetry();
        }
        return telemetry.options(url);
    }

    /** Scenario o1: scenario 1 with a meter registry and a tracer against scenario 1 without (issue 15's hooks). */
    static Scenario observedTransient() {
        return new PublishConsume("o1", "AMQP publish+consume as 1, with SimpleMeterRegistry + OTel tracing",
                "seedmq without a registry", false, new Load(0, 0, 0), List.of(Metric.higher(Probe.Throughput.METRIC, "")),
                (url, q) -> new SeedmqEndpoint(observed(url), q, false, null, PublishConsume.ack(false), 0, false),
                (url, q) -> new SeedmqEndpoint(plain(url), q, false, null, PublishConsume.ack(false), 0, false));
    }

    /** Scenario o4a: sequential RPC with a meter registry and a tracer against the same without. */
    static Scenario observedRpc() {
        return new RpcRoundTrips("o4a", "AMQP RPC sequential as 4a, with SimpleMeterRegistry + OTel tracing",
                "seedmq without a registry", false, 1, List.of(Metric.lower(Probe.Latency.MEDIAN, ""),
                        Metric.higher(RpcRoundTrips.CALLS, "")),
                (url, name) -> new SeedmqCaller(observed(url), name, OsloTopology.historical()), SeedmqCaller::historical);
    }

    /** Scenario o6a: the embedded broker's publish → consume with a meter registry and a tracer against the same without. */
    static Scenario observedInMemory() {
        return new PublishConsume("o6a", "memory:// publish → consume as 6a, with SimpleMeterRegistry + OTel tracing",
                "seedmq without a registry", true, new Load(0, IN_MEMORY_BACKLOG, 0),
                List.of(Metric.higher(Probe.Throughput.METRIC, "")),
                (url, q) -> new SeedmqEndpoint(observed(url), q, false, q, PublishConsume.ack(false), 0, true),
                (url, q) -> new SeedmqEndpoint(plain(url), q, false, q, PublishConsume.ack(false), 0, true));
    }

    /** Scenario 1: both sides in confirm mode, as seedmq always publishes; unbounded. */
    static Scenario amqpTransient() {
        return new PublishConsume("1", "AMQP publish+consume, transient, auto-ack, 1P1C, unlimited",
                "raw amqp-client (confirm mode)", false, new Load(0, 0, 0), THROUGHPUT_95,
                (url, q) -> new SeedmqEndpoint(plain(url), q, false, null, PublishConsume.ack(false), 0, false),
                (url, q) -> new RawAmqpEndpoint(url, q, false, true, false, 0),
                (url, q) -> new SpringEndpoint(url, q, false, true, false, 0));
    }

    /**
     * Scenario 1b: a fire-and-forget transient stream, seedmq's {@code publish} with
     * {@code Publish.confirm(false)} (it returns once the message is handed over) against a raw
     * publisher without confirm mode.
     */
    static Scenario amqpTransientVsFireAndForget() {
        return new PublishConsume("1b", "AMQP publish+consume, transient, no confirms, auto-ack, 1P1C, unlimited",
                "raw amqp-client (no confirms)", false, new Load(0, 0, 0), THROUGHPUT_95,
                (url, q) -> new SeedmqEndpoint(plain(url), q, false, null, PublishConsume.ack(false), 0, true, false),
                (url, q) -> new RawAmqpEndpoint(url, q, false, false, false, 0),
                (url, q) -> new SpringEndpoint(url, q, false, false, false, 0));
    }

    /** Scenario 2. */
    static Scenario amqpConfirmed() {
        return new PublishConsume("2", "AMQP confirms (100 outstanding), persistent, durable, manual ack, prefetch 100",
                "raw amqp-client", false, new Load(CONFIRM_WINDOW, 0, 0), THROUGHPUT_95,
                (url, q) -> new SeedmqEndpoint(plain(url), q, true, null, PublishConsume.ack(true), PREFETCH, false),
                (url, q) -> new RawAmqpEndpoint(url, q, true, true, true, PREFETCH),
                (url, q) -> new SpringEndpoint(url, q, true, true, true, PREFETCH));
    }

    /** Scenario 3: transient, auto-ack, 1,000 msg/s, timed from when each publish was due. */
    static Scenario amqpLatency() {
        return new PublishConsume("3", "AMQP latency at 1,000 msg/s, transient, auto-ack",
                "raw amqp-client (confirm mode)", false, new Load(0, 0, 1_000),
                List.of(Metric.lower(Probe.Latency.MEDIAN, ""), Metric.lower(Probe.Latency.P99, "")),
                (url, q) -> new SeedmqEndpoint(plain(url), q, false, null, PublishConsume.ack(false), 0, false),
                (url, q) -> new RawAmqpEndpoint(url, q, false, true, false, 0));
    }

    /**
     * Scenario 4a: one call at a time; seedmq's client and server against amqp-client's {@code RpcClient}
     * and a raw server. seedmq declares as {@link OsloTopology#historical()}: transient queues and
     * messages, as the raw pair's, so that the ratio is the cost of the client, not of the queues
     * (4c and 4d measure those).
     */
    static Scenario rpcSequential() {
        return new RpcRoundTrips("4a", "AMQP RPC, sequential calls (oslo's historical topology: transient)",
                "raw RpcClient + raw server", false, 1,
                List.of(Metric.lower(Probe.Latency.MEDIAN, "≤ 1.15"), Metric.lower(Probe.Latency.P99, ""),
                        Metric.higher(RpcRoundTrips.CALLS, "")),
                SeedmqCaller::historical, (url, name) -> new RawRpcCaller(url, name, false),
                (url, name) -> new SpringRpcCaller(url, name, false));
    }

    /** Scenario 4b: 16 calls outstanding from one client thread. */
    static Scenario rpcPipelined() {
        return new RpcRoundTrips("4b", "AMQP RPC, 16 outstanding calls (oslo's historical topology: transient)",
                "raw pipelined client + raw server", false,
                RPC_OUTSTANDING, List.of(Metric.higher(RpcRoundTrips.CALLS, "≥ 0.9")),
                SeedmqCaller::historical, (url, name) -> new RawRpcCaller(url, name, true),
                (url, name) -> new SpringRpcCaller(url, name, true));
    }

    /**
     * Scenarios 4c and 4d: what RabbitMQ 4.3's safe topology costs a sequential call. seedmq on
     * {@link OsloTopology#defaults()} (persistent requests to a durable topic queue, confirmed; a
     * quorum reply queue, or with {@code exclusiveReply} seedmq's exclusive one) against seedmq on
     * {@link OsloTopology#historical()}, 4a's seedmq side.
     */
    static Scenario rpcOnDefaults(boolean exclusiveReply) {
        OsloTopology topology = OsloTopology.defaults().toBuilder().exclusiveReplyQueue(exclusiveReply).build();
        return new RpcRoundTrips(exclusiveReply ? "4d" : "4c",
                "AMQP RPC sequential on OsloTopology.defaults()" + (exclusiveReply ? " + exclusive reply queue" : " (quorum reply queue)"),
                "seedmq on historical() (4a)", false, 1,
                List.of(Metric.lower(Probe.Latency.MEDIAN, ""), Metric.higher(RpcRoundTrips.CALLS, "")),
                (url, name) -> new SeedmqCaller(url, name, topology), SeedmqCaller::historical);
    }

    /**
     * Scenarios 4e (sequential) and 4f (16 outstanding): seedmq on {@link OsloTopology#historical()}
     * against raw amqp-client doing the same AMQP work by hand ({@link RawOsloProtocolCaller}:
     * confirmed requests with an expiration through a topic exchange, acked on receipt, confirmed
     * replies through a real reply queue). 4a and 4b against this scenario's reference split the
     * gap to a bare raw RPC into what oslo's protocol costs and what seedmq adds to it.
     */
    static Scenario rpcAgainstOsloProtocol(int outstanding) {
        boolean sequential = outstanding == 1;
        return new RpcRoundTrips(sequential ? "4e" : "4f",
                "AMQP RPC, " + (sequential ? "sequential calls" : outstanding + " outstanding calls") + " (historical topology)",
                "raw amqp-client doing oslo's AMQP work (confirms, acks, a reply queue)", false, outstanding,
                sequential ? List.of(Metric.lower(Probe.Latency.MEDIAN, ""), Metric.higher(RpcRoundTrips.CALLS, ""))
                        : List.of(Metric.higher(RpcRoundTrips.CALLS, "")),
                SeedmqCaller::historical, RawOsloProtocolCaller::new);
    }

    /**
     * Scenario 4g: 4a with seedmq's server at {@code RpcServerOptions.concurrency(1)}, the raw
     * server's own threading: each request's endpoint runs on the thread that delivered it, where
     * the default server (8 at once) hands it to a handler thread. 4a against 4g is the price of that
     * handoff on a sequential call.
     */
    static Scenario rpcSequentialOneAtATime() {
        return new RpcRoundTrips("4g", "AMQP RPC, sequential calls (historical topology), server concurrency(1)",
                "raw RpcClient + raw server", false, 1,
                List.of(Metric.lower(Probe.Latency.MEDIAN, ""), Metric.lower(Probe.Latency.P99, ""),
                        Metric.higher(RpcRoundTrips.CALLS, "")),
                SeedmqCaller::historicalOneAtATime, (url, name) -> new RawRpcCaller(url, name, false));
    }

    /**
     * Scenario 5: a notifier's {@code info} (blocking until confirmed, as a notify is) to a listener
     * that acks after its endpoint; the reference publishes the same bodies with a confirm awaited
     * for each and consumes them with manual acks (one publish outstanding on every side), and so
     * does Spring AMQP with a correlated confirm and a listener container.
     */
    static Scenario notifications() {
        return new PublishConsume("5", "AMQP notifications, notifier → listener (confirmed, acked)",
                "raw amqp-client persistent publish to a durable queue (confirm each) + consume (manual ack)", false,
                new Load(1, 0, 0),
                List.of(Metric.higher(Probe.Throughput.METRIC, "≥ 0.9")),
                NotifierEndpoint::new,
                // Durable and persistent, as a notifier's queue and messages are by default.
                (url, q) -> new RawAmqpEndpoint(url, q, true, true, true, PREFETCH),
                (url, q) -> new SpringEndpoint(url, q, true, true, true, PREFETCH));
    }

    /** Scenario 6d: sequential RPC calls on the embedded broker. */
    static Scenario rpcInMemory() {
        return new RpcRoundTrips("6d", "memory:// RPC, sequential calls", "LinkedBlockingQueue request + future reply",
                true, 1, List.of(Metric.lower(Probe.Latency.MEDIAN, "≤ 2"), Metric.lower(Probe.Latency.P99, ""),
                        Metric.higher(RpcRoundTrips.CALLS, "")),
                SeedmqCaller::new, (url, name) -> new QueuePairCaller());
    }

    /** Scenario 6a/6b: {@code publish} through a direct exchange of the embedded broker to one consumer. */
    static Scenario inMemory(String id, boolean manualAck) {
        return new PublishConsume(id, "memory:// direct exchange → 1 consumer, " + (manualAck ? "manual ack" : "auto-ack"),
                "LinkedBlockingQueue handoff", true, new Load(0, IN_MEMORY_BACKLOG, 0),
                List.of(Metric.higher(Probe.Throughput.METRIC, manualAck ? "" : "≥ 0.7")),
                (url, q) -> new SeedmqEndpoint(plain(url), q, false, q, PublishConsume.ack(manualAck), 0, true),
                PublishConsume.inProcess(q -> new BlockingQueueEndpoint()));
    }

    /** Scenario 6c: kombu's SimpleQueue, put on one thread, get and ack on another. */
    static Scenario simpleQueue() {
        return new PublishConsume("6c", "memory:// SimpleQueue put → get+ack",
                "LinkedBlockingQueue handoff", true, new Load(0, IN_MEMORY_BACKLOG, 0),
                List.of(Metric.higher(Probe.Throughput.METRIC, "≥ 0.5")),
                SimpleQueueEndpoint::new, PublishConsume.inProcess(q -> new BlockingQueueEndpoint()));
    }
}
