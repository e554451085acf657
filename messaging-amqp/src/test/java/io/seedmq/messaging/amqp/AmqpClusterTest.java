package io.seedmq.messaging.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seedmq.messaging.Connection;
import io.seedmq.messaging.Consumer;
import io.seedmq.messaging.ConsumerOptions;
import io.seedmq.messaging.ConsumerWorker;
import io.seedmq.messaging.Lifecycle;
import io.seedmq.messaging.Lifecycle.State;
import io.seedmq.messaging.MessagingException;
import io.seedmq.messaging.Publish;
import io.seedmq.messaging.Queue;
import io.seedmq.messaging.QueueType;
import io.seedmq.messaging.StreamOffset;
import io.seedmq.messaging.amqp.test.Cluster;
import io.seedmq.messaging.amqp.test.ClusterNode;
import io.seedmq.messaging.amqp.test.RabbitCluster;
import io.seedmq.messaging.notify.ListenerOptions;
import io.seedmq.messaging.notify.Notification;
import io.seedmq.messaging.notify.NotificationEndpoint;
import io.seedmq.messaging.notify.NotificationListener;
import io.seedmq.messaging.notify.NotificationResult;
import io.seedmq.messaging.notify.NotificationTarget;
import io.seedmq.messaging.notify.Notifier;
import io.seedmq.messaging.notify.NotifierOptions;
import io.seedmq.messaging.oslo.Context;
import io.seedmq.messaging.oslo.OsloTopology;
import io.seedmq.messaging.retry.RetryPolicy;
import io.seedmq.messaging.rpc.RpcClient;
import io.seedmq.messaging.rpc.RpcClientOptions;
import io.seedmq.messaging.rpc.RpcServer;
import io.seedmq.messaging.rpc.RpcServerOptions;
import io.seedmq.messaging.rpc.Target;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * seedmq on a three-node RabbitMQ cluster ({@code .ci/cluster start}), with real node failures
 * ({@code rabbitmqctl stop_app}/{@code start_app}). Each case prints its figures as
 * {@code [cluster] ...} lines.
 */
@RabbitCluster
@DisplayName("A three-node RabbitMQ cluster: failover, quorum queues, lost subscriptions")
class AmqpClusterTest {

    /** How long anything that must happen across a node's stop and start may take. */
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** How the services of these cases restore a lost subscription: soon, and for longer than a node's restart. */
    private static final RetryPolicy RESUBSCRIBE = RetryPolicy.builder().maxAttempts(300)
            .initialInterval(Duration.ofMillis(200)).maxInterval(Duration.ofSeconds(1)).build();

    private final Cluster cluster;
    private final String id = UUID.randomUUID().toString().substring(0, 8);
    private final List<AutoCloseable> opened = new CopyOnWriteArrayList<>();
    private final List<String> queues = new CopyOnWriteArrayList<>();

    AmqpClusterTest(Cluster cluster) {
        this.cluster = cluster;
    }

    @AfterEach
    void tearDown() throws Exception {
        List<AutoCloseable> reversed = new ArrayList<>(opened);
        Collections.reverse(reversed);
        for (AutoCloseable c : reversed) {
            try {
                c.close();
            } catch (Exception e) {
                // cleaning up after a case; the case itself reported what mattered
            }
        }
        // A case that failed half-way may have left a node stopped.
        cluster.startAll();
        try (Connection admin = Connection.open(cluster.node(2).options())) {
            for (String q : queues) {
                try {
                    admin.deleteQueue(q);
                } catch (MessagingException e) {
                    // already gone
                }
            }
        }
    }

    @Test
    @DisplayName("a worker on a classic queue whose home node stops and starts again consumes again once the queue is back, and says so in its state")
    void classicQueueWhoseHomeNodeRestarts() throws Exception {
        ClusterNode home = cluster.node(1);
        // The operator's worker: all three nodes in its URL, connected to the first, where it declares its queue.
        Connection conn = open(cluster.builder().connectionName("seedmq-cluster-operator-" + id).build());
        String q = queue("task_queue");
        BlockingQueue<String> handled = new LinkedBlockingQueue<>();
        ConsumerWorker worker = ConsumerWorker.builder(conn)
                .consume(ConsumerOptions.builder().queue(Queue.builder(q).durable(true).build()).prefetch(1)
                        .retryPolicy(RESUBSCRIBE).build(), m -> {
                            handled.add(m.payload(String.class));
                            m.ack();
                        })
                .name("operator-worker").build();
        StateLog states = StateLog.of(worker);
        worker.start();
        Connection sender = open(cluster.node(2).options());
        sender.producer().publish("before", Publish.toQueue(q));
        assertEquals("before", handled.poll(WAIT.toSeconds(), TimeUnit.SECONDS));

        long stopping = System.nanoTime();
        home.stop();
        states.await(State.RECOVERING);
        // The connection fails over at once, but the queue lives on the stopped node: 404 on every attempt.
        await("the connection has failed over", () -> conn.health().status() == io.seedmq.messaging.observation
                .ConnectionHealth.Status.OPEN);
        assertEquals(State.RECOVERING, worker.state(), "no subscription while the queue's node is down");
        long starting = System.nanoTime();
        home.start();
        long started = System.nanoTime();
        await("the worker consumes again", () -> worker.state() == State.RUNNING);
        long running = System.nanoTime();
        sender.producer().publish("after", Publish.toQueue(q));
        assertEquals("after", handled.poll(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(1, sender.queueInfo(q).consumerCount());
        assertEquals(List.of(State.RUNNING, State.RECOVERING, State.RUNNING), states.since(State.RUNNING));
        System.out.printf("[cluster] classic queue, home node stopped %.1f s: worker RECOVERING until the node was back;"
                        + " RUNNING again %d ms after start_app returned (%d ms after it was called)%n",
                seconds(starting - stopping), millis(running - started), millis(running - starting));
    }

    @Test
    @DisplayName("a connection given all three nodes keeps a worker, an RPC server and a listener working when its node dies: RECOVERING, then RUNNING; calls made after recovery succeed; no call hangs")
    void servicesFailOver() throws Exception {
        ClusterNode dying = cluster.node(1);
        String topic = "seedmq-cluster-rpc-" + id;
        String events = "seedmq-cluster-notify-" + id;
        Target target = Target.topic(topic).withServer("s1");
        queues.add(topic);
        queues.add(topic + ".s1");
        queues.add(events + ".info");
        // The RPC server's and the listener's queues are classic: placed on node 2 by starting the
        // services once there, so they outlive node 1, the node the services' connection is on.
        try (Connection placing = Connection.open(cluster.node(2).options())) {
            RpcServer once = RpcServer.create(placing, target, List.of(new Calculator()));
            once.start();
            queues.addAll(once.queueNames());
            once.stop();
            NotificationListener first = NotificationListener.create(placing, List.of(NotificationTarget.topic(events)),
                    List.of(NotificationEndpoint.of(n -> NotificationResult.HANDLED)));
            first.start();
            first.stop();
        }

        Connection services = open(cluster.builder().connectionName("seedmq-cluster-services-" + id).build());
        String work = queue("work");
        BlockingQueue<String> worked = new LinkedBlockingQueue<>();
        ConsumerWorker worker = ConsumerWorker.builder(services)
                .consume(ConsumerOptions.builder().queue(Queue.builder(work).type(QueueType.QUORUM).build())
                        .prefetch(10).retryPolicy(RESUBSCRIBE).build(), m -> {
                            worked.add(m.payload(String.class));
                            m.ack();
                        })
                .name("cluster-worker").build();
        RpcServer server = RpcServer.create(services, target, List.of(new Calculator()),
                RpcServerOptions.builder().retryPolicy(RESUBSCRIBE).build());
        BlockingQueue<String> notified = new LinkedBlockingQueue<>();
        NotificationListener listener = NotificationListener.create(services, List.of(NotificationTarget.topic(events)),
                List.of(NotificationEndpoint.of(n -> {
                    notified.add(n.payload().get("n").asText());
                    return NotificationResult.HANDLED;
                })), ListenerOptions.builder().retryPolicy(RESUBSCRIBE).build());
        Map<String, StateLog> logs = Map.of("worker", StateLog.of(worker), "rpc server", StateLog.of(server),
                "listener", StateLog.of(listener));
        for (Lifecycle service : List.of(worker, server, listener)) {
            opened.add(service);
            service.start();
        }
        queues.addAll(server.queueNames());

        Connection callers = open(cluster.startingAt(cluster.node(3)).connectionName("seedmq-cluster-callers-" + id).build());
        Duration callTimeout = Duration.ofSeconds(5);
        RpcClient client = RpcClient.create(callers, Target.topic(topic),
                RpcClientOptions.builder().timeout(callTimeout).build());
        Notifier notifier = Notifier.create(callers, "cluster.test", NotifierOptions.builder().topics(events).build());
        assertEquals(3, client.call(Context.empty(), "add", Map.of("x", 1, "y", 2), Integer.class));
        callers.producer().publish("w0", Publish.toQueue(work));
        assertEquals("w0", worked.poll(WAIT.toSeconds(), TimeUnit.SECONDS));
        notifier.info(Context.empty(), "cluster.before", Map.of("n", "n0"));
        assertEquals("n0", notified.poll(WAIT.toSeconds(), TimeUnit.SECONDS));

        // Calls keep going while the node dies: each one ends, in a result or a typed error, within its bound.
        CallLoop calls = new CallLoop(client, callTimeout);
        Thread caller = new Thread(calls, "cluster-caller");
        caller.setDaemon(true);
        caller.start();
        await("calls are being made", () -> calls.ok.get() > 3);

        long stopping = System.nanoTime();
        dying.stop();
        long stopped = System.nanoTime();
        for (StateLog log : logs.values()) {
            log.await(State.RECOVERING);
        }
        // While node 1 is down: calls, work and notifications get through again.
        long okBefore = calls.ok.get();
        await("calls succeed again", () -> calls.ok.get() > okBefore + 3);
        long callsBack = System.nanoTime();
        callers.producer().publish("w1", Publish.toQueue(work));
        assertEquals("w1", worked.poll(WAIT.toSeconds(), TimeUnit.SECONDS));
        long workBack = System.nanoTime();
        notifier.info(Context.empty(), "cluster.during", Map.of("n", "n1"));
        assertEquals("n1", notified.poll(WAIT.toSeconds(), TimeUnit.SECONDS));
        long notifyBack = System.nanoTime();
        for (StateLog log : logs.values()) {
            await(log.service + " is RUNNING with its node down", () -> log.service.state() == State.RUNNING);
        }
        Map<String, Long> runningAgain = new java.util.TreeMap<>();
        logs.forEach((name, log) -> runningAgain.put(name, millis(log.runningAgainAt - stopped)));

        dying.start();
        for (StateLog log : logs.values()) {
            await(log.service + " is RUNNING", () -> log.service.state() == State.RUNNING);
        }
        long allRunning = System.nanoTime();
        calls.stop();
        caller.join(callTimeout.plusSeconds(5).toMillis());
        assertTrue(calls.hung.isEmpty(), "calls that did not end within their bound: " + calls.hung);
        assertEquals(5, client.call(Context.empty(), "add", Map.of("x", 2, "y", 3), Integer.class));
        callers.producer().publish("w2", Publish.toQueue(work));
        assertEquals("w2", worked.poll(WAIT.toSeconds(), TimeUnit.SECONDS));
        notifier.info(Context.empty(), "cluster.after", Map.of("n", "n2"));
        assertEquals("n2", notified.poll(WAIT.toSeconds(), TimeUnit.SECONDS));
        for (Map.Entry<String, StateLog> e : logs.entrySet()) {
            List<State> seen = e.getValue().since(State.RUNNING);
            assertEquals(State.RECOVERING, seen.get(1), e.getKey() + ": " + seen);
            assertEquals(State.RUNNING, seen.get(seen.size() - 1), e.getKey() + ": " + seen);
        }
        System.out.printf("[cluster] failover, the services' node stopped (stop_app took %d ms): RUNNING again on"
                        + " another node, ms after stop_app returned: %s; calls answered again %d ms after it"
                        + " returned, work %d ms, notifications %d ms; all RUNNING after the node's start (%d ms);"
                        + " calls during the failover: %d answered, %d typed failures %s, 0 hung%n",
                millis(stopped - stopping), runningAgain, millis(callsBack - stopped), millis(workBack - stopped),
                millis(notifyBack - stopped), millis(allRunning - stopped), calls.ok.get(), calls.failed.get(),
                calls.failures);
    }

    @Test
    @DisplayName("zero loss: 20,000 numbered persistent messages published with confirms into a quorum queue while its leader's node stops and starts again all arrive, duplicates counted")
    void quorumQueueLosesNothing() throws Exception {
        int total = 20_000;
        String q = queue("zero-loss");
        Queue quorum = Queue.builder(q).type(QueueType.QUORUM).build();
        Connection publishing = open(cluster.builder().connectionName("seedmq-cluster-publisher-" + id).build());
        publishing.declare(quorum);
        ClusterNode leader = cluster.leaderOf(q);
        ClusterNode elsewhere = cluster.nodes().stream().filter(n -> n != leader).findFirst().orElseThrow();
        Connection consuming = open(cluster.startingAt(elsewhere).connectionName("seedmq-cluster-consumer-" + id).build());
        Set<Integer> seen = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();
        AtomicLong lastArrival = new AtomicLong(System.nanoTime());
        AtomicLong longestGap = new AtomicLong();
        Consumer consumer = consuming.consumer(ConsumerOptions.builder().queue(quorum).prefetch(500)
                .retryPolicy(RESUBSCRIBE).build(), m -> {
                    long now = System.nanoTime();
                    longestGap.accumulateAndGet(now - lastArrival.getAndSet(now), Math::max);
                    if (!seen.add(m.payload(Integer.class))) {
                        duplicates.incrementAndGet();
                    }
                    m.ack();
                });
        opened.add(consumer);
        consumer.start();

        RetryPolicy patient = RetryPolicy.builder().maxAttempts(100).initialInterval(Duration.ofMillis(200))
                .maxInterval(Duration.ofSeconds(1)).build();
        Publish how = Publish.toQueue(q).persistent(true).retry(patient);
        AtomicInteger confirmed = new AtomicInteger();
        List<Integer> unconfirmed = new CopyOnWriteArrayList<>();
        Semaphore window = new Semaphore(256);
        AtomicLong lastConfirm = new AtomicLong(System.nanoTime());
        AtomicLong longestStall = new AtomicLong();
        long[] fault = new long[4];
        Thread faults = new Thread(() -> {
            try {
                awaitQuietly(() -> confirmed.get() >= total / 4);
                fault[0] = System.nanoTime();
                leader.stop();
                fault[1] = System.nanoTime();
                awaitQuietly(() -> confirmed.get() >= total * 3 / 4 || confirmed.get() + unconfirmed.size() >= total);
                fault[2] = System.nanoTime();
                leader.start();
                fault[3] = System.nanoTime();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, "cluster-faults");
        faults.setDaemon(true);
        faults.start();
        long begin = System.nanoTime();
        for (int i = 1; i <= total; i++) {
            assertTrue(window.tryAcquire(WAIT.toSeconds(), TimeUnit.SECONDS), "publish window stuck at " + i);
            int n = i;
            publishing.producer().publishAsync(n, how).whenComplete((ok, e) -> {
                long now = System.nanoTime();
                if (e == null) {
                    confirmed.incrementAndGet();
                    longestStall.accumulateAndGet(now - lastConfirm.getAndSet(now), Math::max);
                } else {
                    unconfirmed.add(n);
                }
                window.release();
            });
        }
        assertTrue(window.tryAcquire(256, WAIT.toSeconds(), TimeUnit.SECONDS), "publishes still unconfirmed");
        // What was never confirmed was not acknowledged to the caller: published again, as an application would.
        for (int n : unconfirmed) {
            publishing.producer().publish(n, how);
        }
        long published = System.nanoTime();
        faults.join(WAIT.toMillis());
        await("every number arrived", () -> seen.size() == total);
        long arrived = System.nanoTime();
        int losses = total - seen.size();
        assertEquals(0, losses);
        assertNotEquals(0, fault[3], "the leader's node was stopped and started again");
        System.out.printf("[cluster] zero loss, quorum queue, leader %s stopped after %d confirms for %.1f s: %d messages,"
                        + " %d losses, %d duplicates, %d publishes not confirmed and sent again; publishing took %.1f s"
                        + " (publisher's recovery: longest wait for a confirm %d ms), all arrived %.1f s after the"
                        + " first publish (consumer's recovery: longest gap between arrivals %d ms)%n",
                leader, total / 4, seconds(fault[2] - fault[0]), total, losses, duplicates.get(), unconfirmed.size(),
                seconds(published - begin), millis(longestStall.get()), seconds(arrived - begin),
                millis(longestGap.get()));
    }

    @Test
    @DisplayName("a stream read by two consumers from different offsets, StreamOffset.first() and StreamOffset.offset(n), goes on being read by both, each from its own offset, while a node is down")
    void streamReadWhileANodeIsDown() throws Exception {
        String s = queue("stream");
        Queue stream = Queue.stream(s).build();
        Connection publishing = open(cluster.startingAt(cluster.node(1)).connectionName("seedmq-cluster-stream-" + id).build());
        publishing.declare(stream);
        ClusterNode leader = cluster.leaderOf(s);
        List<ClusterNode> others = cluster.nodes().stream().filter(n -> n != leader).toList();
        // Readers on the leader's node and one other; the third node, a replica, goes down.
        ClusterNode down = others.get(1);
        Publish how = Publish.toQueue(s).persistent(true);
        for (int i = 1; i <= 100; i++) {
            publishing.producer().publish(i, how);
        }
        BlockingQueue<Read> fromFirst = new LinkedBlockingQueue<>();
        streamReader(leader, stream, StreamOffset.first(), 100, fromFirst);
        List<Read> all = drain(fromFirst, 100);
        assertEquals(java.util.stream.IntStream.rangeClosed(1, 100).boxed().toList(), numbers(all));
        // The second reader starts at message 51, by the offset the first reader saw it at.
        long offset51 = all.get(50).offset();
        BlockingQueue<Read> fromOffset = new LinkedBlockingQueue<>();
        streamReader(others.get(0), stream, StreamOffset.offset(offset51), 100, fromOffset);
        assertEquals(java.util.stream.IntStream.rangeClosed(51, 100).boxed().toList(), numbers(drain(fromOffset, 50)));

        long stopping = System.nanoTime();
        down.stop();
        for (int i = 101; i <= 200; i++) {
            publishing.producer().publish(i, how);
        }
        List<Integer> firstGot = numbers(drain(fromFirst, 100));
        List<Integer> offsetGot = numbers(drain(fromOffset, 100));
        long read = System.nanoTime();
        assertEquals(java.util.stream.IntStream.rangeClosed(101, 200).boxed().toList(), firstGot);
        assertEquals(firstGot, offsetGot, "the reader from an offset reads on in order too");
        down.start();
        System.out.printf("[cluster] stream, replica %s down: readers from first() and from offset(%d) each read the"
                        + " 100 published meanwhile, in order, %d ms after the stop began%n", down, offset51,
                millis(read - stopping));
    }

    @Test
    @DisplayName("a stream reader whose node stops resumes on another node after the last message it was delivered: no gap, no replay from its first offset, duplicates within its prefetch")
    void streamReaderResumesWhereItStoppedWhenItsNodeStops() throws Exception {
        int total = 3000;
        int prefetch = 50;
        String s = queue("stream-resume");
        Queue stream = Queue.stream(s).build();
        ClusterNode leader;
        try (Connection declaring = Connection.open(cluster.options())) {
            declaring.declare(stream);
            leader = cluster.leaderOf(s);
        }
        List<ClusterNode> replicas = cluster.nodes().stream().filter(n -> n != leader).toList();
        // The reader on a replica's node, which stops; the publisher on the other replica's, which stays.
        ClusterNode readersNode = replicas.get(0);
        Connection publishing = open(cluster.startingAt(replicas.get(1)).connectionName("seedmq-cluster-stream-writer-" + id).build());
        BlockingQueue<Read> reads = new LinkedBlockingQueue<>();
        Consumer reader = streamReader(readersNode, stream, StreamOffset.first(), prefetch, reads);
        StateLog states = StateLog.of(reader);
        Publish how = Publish.toQueue(s).persistent(true);
        Map<Long, Integer> seen = new java.util.HashMap<>();
        int duplicates = 0;
        long stopping = 0;
        long stopped = 0;
        long longestGap = 0;
        long last = System.nanoTime();
        for (int i = 1; i <= total; i++) {
            publishing.producer().publish(i, how);
            if (i == total / 3) {
                stopping = System.nanoTime();
                readersNode.stop();
                stopped = System.nanoTime();
            }
            for (Read r = reads.poll(); r != null; r = reads.poll()) {
                long now = System.nanoTime();
                longestGap = Math.max(longestGap, now - last);
                last = now;
                if (seen.put(r.offset(), r.number()) != null) {
                    duplicates++;
                }
            }
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (seen.size() < total && System.nanoTime() < deadline) {
            Read r = reads.poll(1, TimeUnit.SECONDS);
            if (r != null) {
                long now = System.nanoTime();
                longestGap = Math.max(longestGap, now - last);
                last = now;
                if (seen.put(r.offset(), r.number()) != null) {
                    duplicates++;
                }
            }
        }
        readersNode.start();
        Set<Integer> numbers = new java.util.TreeSet<>(seen.values());
        assertEquals(total, numbers.size(), "every number published was read");
        long maxOffset = java.util.Collections.max(seen.keySet());
        long minOffset = java.util.Collections.min(seen.keySet());
        assertEquals(maxOffset - minOffset + 1, seen.size(), "no gap in the offsets read");
        assertTrue(duplicates <= prefetch, duplicates + " messages read twice: more than the prefetch of " + prefetch
                + " (a replay from the first offset would be " + total / 3 + " or so)");
        // Heard from its start on: RECOVERING when the connection dropped, RUNNING once subscribed again.
        assertEquals(List.of(State.RECOVERING, State.RUNNING), List.copyOf(states.states));
        System.out.printf("[cluster] stream reader's node %s stopped (stop_app took %d ms) after %d of %d messages:"
                        + " %d read, no gap (offsets %d..%d), %d read twice (prefetch %d), RUNNING again %d ms after"
                        + " stop_app returned, longest gap between reads %d ms%n",
                readersNode, millis(stopped - stopping), total / 3, total, numbers.size(), minOffset, maxOffset,
                duplicates, prefetch, millis(states.runningAgainAt - stopped), millis(longestGap));
    }

    @Test
    @DisplayName("RPC on oslo's quorum topology across the loss of the topic queue leader's node: requests on the shared topic queue survive, every call succeeds or fails typed, none hangs")
    void rpcOnQuorumTopologyAcrossALeadersLoss() throws Exception {
        OsloTopology quorum = OsloTopology.builder().amqpDurableQueues(true).rabbitQuorumQueue(true)
                .rabbitTransientQuorumQueue(true).build();
        String topic = "seedmq-cluster-qrpc-" + id;
        String exchange = topic + "-exchange";
        queues.add(topic);
        List<RpcServer> servers = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            Connection c = open(cluster.startingAt(cluster.node(i)).connectionName("seedmq-cluster-qrpc-s" + i + "-" + id)
                    .build());
            RpcServer server = RpcServer.create(c, Target.topic(topic).withServer("s" + i).withExchange(exchange),
                    List.of(new Calculator()), RpcServerOptions.builder().topology(quorum).retryPolicy(RESUBSCRIBE).build());
            opened.add(server);
            server.start();
            queues.addAll(server.queueNames());
            servers.add(server);
        }
        ClusterNode leader = cluster.leaderOf(topic);
        Connection callers = open(cluster.startingAt(cluster.node(3)).connectionName("seedmq-cluster-qrpc-client-" + id)
                .build());
        Duration callTimeout = Duration.ofSeconds(5);
        RpcClient client = RpcClient.create(callers, Target.topic(topic).withExchange(exchange),
                RpcClientOptions.builder().timeout(callTimeout).topology(quorum).build());
        assertEquals(3, client.call(Context.empty(), "add", Map.of("x", 1, "y", 2), Integer.class));

        List<CallLoop> loops = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            CallLoop loop = new CallLoop(client, callTimeout);
            Thread t = new Thread(loop, "cluster-qrpc-caller-" + i);
            t.setDaemon(true);
            t.start();
            loops.add(loop);
            threads.add(t);
        }
        await("calls are being made", () -> loops.stream().mapToInt(l -> l.ok.get()).sum() > 20);
        long stopping = System.nanoTime();
        leader.stop();
        long stopped = System.nanoTime();
        int okAtStop = loops.stream().mapToInt(l -> l.ok.get()).sum();
        await("calls succeed again", () -> loops.stream().mapToInt(l -> l.ok.get()).sum() > okAtStop + 20);
        long callsBack = System.nanoTime();
        ClusterNode newLeader = cluster.leaderOf(topic);
        leader.start();
        for (RpcServer server : servers) {
            await(server + " is RUNNING", () -> server.state() == State.RUNNING);
        }
        int okBeforeEnd = loops.stream().mapToInt(l -> l.ok.get()).sum();
        await("calls go on once the node is back", () -> loops.stream().mapToInt(l -> l.ok.get()).sum() > okBeforeEnd + 20);
        loops.forEach(CallLoop::stop);
        for (Thread t : threads) {
            t.join(callTimeout.plusSeconds(15).toMillis());
        }
        int ok = loops.stream().mapToInt(l -> l.ok.get()).sum();
        int failed = loops.stream().mapToInt(l -> l.failed.get()).sum();
        Map<String, Integer> failures = new java.util.TreeMap<>();
        List<String> hung = new ArrayList<>();
        List<String> untyped = new ArrayList<>();
        for (CallLoop l : loops) {
            l.failures.forEach((k, v) -> failures.merge(k, v, Integer::sum));
            hung.addAll(l.hung);
            untyped.addAll(l.untyped);
        }
        assertTrue(hung.isEmpty(), "calls that did not end within their bound: " + hung);
        assertTrue(untyped.isEmpty(), "calls that failed with something other than a MessagingException: " + untyped);
        assertEquals(5, client.call(Context.empty(), "add", Map.of("x", 2, "y", 3), Integer.class));
        System.out.printf("[cluster] RPC on the quorum topology, topic queue's leader %s stopped (stop_app took %d ms;"
                        + " new leader %s): 4 callers, %d calls answered, %d failed typed %s, 0 hung; calls answered"
                        + " again %d ms after stop_app returned%n",
                leader, millis(stopped - stopping), newLeader, ok, failed, failures, millis(callsBack - stopped));
    }

    /** A message a stream reader was delivered: its number and its offset. */
    private record Read(int number, long offset) {
    }

    private static List<Integer> numbers(List<Read> reads) {
        return reads.stream().map(Read::number).toList();
    }

    private Consumer streamReader(ClusterNode on, Queue stream, StreamOffset from, int prefetch, BlockingQueue<Read> into) {
        Connection c = open(cluster.startingAt(on).connectionName("seedmq-cluster-stream-reader-" + id).build());
        // Streams are read with manual acknowledgement and a prefetch limit.
        Consumer consumer = c.consumer(ConsumerOptions.builder().queue(stream).prefetch(prefetch).streamOffset(from)
                .retryPolicy(RESUBSCRIBE).build(), m -> {
                    into.add(new Read(m.payload(Integer.class), m.streamOffset().getAsLong()));
                    m.ack();
                });
        opened.add(consumer);
        consumer.start();
        return consumer;
    }

    private static <T> List<T> drain(BlockingQueue<T> from, int n) throws InterruptedException {
        List<T> got = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (got.size() < n) {
            T next = from.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (next == null) {
                throw new AssertionError("expected " + n + " messages within " + WAIT + ", got " + got.size());
            }
            got.add(next);
        }
        return got;
    }

    private Connection open(io.seedmq.messaging.ConnectionOptions options) {
        Connection c = Connection.open(options);
        opened.add(c);
        return c;
    }

    private String queue(String name) {
        String q = "seedmq-cluster-" + name + "-" + id;
        queues.add(q);
        return q;
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /** Polls a condition until it holds, failing after {@link #WAIT}. */
    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + WAIT);
            }
            pause();
        }
    }

    private static void awaitQuietly(BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            pause();
        }
    }

    private static void pause() {
        try {
            // Polling interval of an observation, not synchronisation of message flow.
            TimeUnit.MILLISECONDS.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** An RPC endpoint. */
    public static final class Calculator {
        /**
         * @param x a number
         * @param y another
         * @return their sum
         */
        public int add(int x, int y) {
            return x + y;
        }
    }

    /** What a service's state listener heard. */
    private static final class StateLog {
        final Lifecycle service;
        final List<State> states = new CopyOnWriteArrayList<>();
        /** When it was last RUNNING again after RECOVERING (System.nanoTime), 0 before. */
        volatile long runningAgainAt;

        private StateLog(Lifecycle service) {
            this.service = service;
        }

        static StateLog of(Lifecycle service) {
            StateLog log = new StateLog(service);
            service.addStateListener((from, to, cause) -> {
                log.states.add(to);
                if (from == State.RECOVERING && to == State.RUNNING) {
                    log.runningAgainAt = System.nanoTime();
                }
            });
            return log;
        }

        void await(State state) {
            AmqpClusterTest.await(service + " was " + state + " (" + states + ")", () -> states.contains(state));
        }

        /** @return the states from the first time it was {@code from} */
        List<State> since(State from) {
            List<State> all = List.copyOf(states);
            int i = all.indexOf(from);
            return i < 0 ? List.of() : all.subList(i, all.size());
        }
    }

    /** Calls {@code add} one after another until stopped; counts outcomes; remembers calls that outlived their bound. */
    private static final class CallLoop implements Runnable {
        final AtomicInteger ok = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final Map<String, Integer> failures = new ConcurrentHashMap<>();
        final List<String> hung = new CopyOnWriteArrayList<>();
        /** Calls that failed with something other than a {@link MessagingException}. */
        final List<String> untyped = new CopyOnWriteArrayList<>();
        private final RpcClient client;
        private final Duration bound;
        private volatile boolean running = true;

        CallLoop(RpcClient client, Duration timeout) {
            this.client = client;
            // The call's timeout, and the publish's own bounded retries before it.
            this.bound = timeout.plusSeconds(10);
        }

        @Override
        public void run() {
            int i = 0;
            while (running) {
                i++;
                CompletableFuture<Integer> call = client.callAsync(Context.empty(), "add", Map.of("x", i, "y", 1),
                        Integer.class);
                try {
                    call.get(bound.toMillis(), TimeUnit.MILLISECONDS);
                    ok.incrementAndGet();
                } catch (ExecutionException e) {
                    failed.incrementAndGet();
                    failures.merge(e.getCause().getClass().getSimpleName(), 1, Integer::sum);
                    if (!(e.getCause() instanceof MessagingException)) {
                        untyped.add("call " + i + ": " + e.getCause());
                    }
                } catch (TimeoutException e) {
                    hung.add("call " + i);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        void stop() {
            running = false;
        }
    }
}
