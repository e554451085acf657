package io.seedmq.messaging.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.seedmq.messaging.Connection;
import io.seedmq.messaging.Lifecycle;
import io.seedmq.messaging.MessagingException;
import io.seedmq.messaging.amqp.test.FaultNode;
import io.seedmq.messaging.amqp.test.FaultBroker;
import io.seedmq.messaging.amqp.test.Rabbitmqctl;
import io.seedmq.messaging.oslo.Context;
import io.seedmq.messaging.oslo.OsloTopology;
import io.seedmq.messaging.retry.RetryPolicy;
import io.seedmq.messaging.rpc.RpcClient;
import io.seedmq.messaging.rpc.RpcClientOptions;
import io.seedmq.messaging.rpc.RpcServer;
import io.seedmq.messaging.rpc.RpcTimeoutException;
import io.seedmq.messaging.rpc.Target;
import io.seedmq.messaging.rpc.internal.ReplyWaiter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RPC across a broker restart, on the node the tests may restart ({@link FaultBroker}). */
@FaultBroker
@DisplayName("RPC across a broker restart")
class AmqpRpcFaultTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    /** An endpoint whose {@code hold} call blocks until released. */
    public static class Service {
        final CountDownLatch holding = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        public int add(int x, int y) {
            return x + y;
        }

        public String hold() throws InterruptedException {
            holding.countDown();
            release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
            return "held";
        }
    }

    private final FaultNode broker;
    private final Rabbitmqctl ctl;

    AmqpRpcFaultTest(FaultNode broker) {
        this.broker = broker;
        this.ctl = broker.rabbitmqctl();
    }

    @ParameterizedTest(name = "exclusive reply queue: {0}")
    @ValueSource(booleans = {false, true})
    @DisplayName("a call in flight fails with a typed error or succeeds; calls after recovery succeed; no waiter is left")
    void callsAcrossRestart(boolean exclusiveReplyQueue) throws Exception {
        // The default quorum reply queue survives the restart; an exclusive one is declared anew.
        OsloTopology topology = OsloTopology.defaults().toBuilder().exclusiveReplyQueue(exclusiveReplyQueue).build();
        String id = UUID.randomUUID().toString().substring(0, 8);
        String topic = "seedmq-fault-rpc-" + id;
        Service service = new Service();
        try (Connection serverConn = Connection.open(broker.builder().connectionName("seedmq-fault-rpc-server-" + id).build());
             Connection clientConn = Connection.open(broker.builder().connectionName("seedmq-fault-rpc-client-" + id).build())) {
            RpcServer server = RpcServer.create(serverConn, Target.topic(topic).withServer("s1").withExchange(topic),
                    List.of(service));
            List<Lifecycle.State> states = new CopyOnWriteArrayList<>();
            server.addStateListener((from, to, cause) -> states.add(to));
            server.start();
            RetryPolicy patient = RetryPolicy.builder().maxAttempts(80).initialInterval(Duration.ofMillis(100))
                    .maxInterval(Duration.ofSeconds(1)).build();
            RpcClient client = RpcClient.create(clientConn, Target.topic(topic).withExchange(topic),
                    RpcClientOptions.builder().timeout(Duration.ofSeconds(10)).retry(patient).topology(topology).build());
            try {
                assertEquals(3, client.call(Context.empty(), "add", Map.of("x", 1, "y", 2), Integer.class));
                CompletableFuture<String> inFlight = client.callAsync(Context.empty(), "hold", Map.of(), String.class);
                assertTrue(service.holding.await(WAIT.toSeconds(), TimeUnit.SECONDS));

                ctl.stopApp();
                service.release.countDown();
                ctl.startApp();

                try {
                    assertEquals("held", inFlight.get(WAIT.toSeconds(), TimeUnit.SECONDS));
                } catch (ExecutionException e) {
                    assertTrue(e.getCause() instanceof MessagingException,
                            "a call in flight fails with a typed error, not " + e.getCause());
                }

                // The server's queues and subscription come back with the connection's recovery;
                // until they do, a request may find no queue and time out.
                long deadline = System.nanoTime() + WAIT.toNanos();
                RpcClient quick = client.prepare().timeout(Duration.ofSeconds(2)).build();
                List<String> misses = new ArrayList<>();
                while (true) {
                    try {
                        assertEquals(5, quick.call(Context.empty(), "add", Map.of("x", 2, "y", 3), Integer.class));
                        break;
                    } catch (RpcTimeoutException | io.seedmq.messaging.ConnectionException e) {
                        misses.add(e.getClass().getSimpleName());
                        if (System.nanoTime() > deadline) {
                            fail("no call succeeded within " + WAIT + " of the restart: " + misses);
                        }
                    }
                }
                for (int i = 0; i < 20; i++) {
                    assertEquals(i + 1, client.call(Context.empty(), "add", Map.of("x", i, "y", 1), Integer.class));
                }
                assertTrue(states.contains(Lifecycle.State.RECOVERING), "the server reported the loss: " + states);
                assertEquals(Lifecycle.State.RUNNING, server.state(), "and is back: " + states);
                assertEquals(0, io.seedmq.messaging.internal.DefaultConnection.of(clientConn).shared(ReplyWaiter.class, topology, c -> null).waiting(), "no waiter left behind");
            } finally {
                server.stop();
                server.queueNames().forEach(q -> {
                    try {
                        serverConn.deleteQueue(q);
                    } catch (RuntimeException ignored) {
                        // gone with the restart
                    }
                });
            }
        }
    }
}
