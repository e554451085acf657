package io.seedmq.messaging.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seedmq.messaging.Connection;
import io.seedmq.messaging.ConsumerOptions;
import io.seedmq.messaging.ConsumerWorker;
import io.seedmq.messaging.Lifecycle;
import io.seedmq.messaging.Publish;
import io.seedmq.messaging.Queue;
import io.seedmq.messaging.amqp.test.Rabbitmqctl;
import io.seedmq.messaging.test.BrokerKind;
import io.seedmq.messaging.test.SeedmqTest;
import io.seedmq.messaging.test.TestBroker;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A worker on RabbitMQ rides out a connection the broker closes, and says so in its life cycle. */
@SeedmqTest(broker = BrokerKind.RABBITMQ)
@DisplayName("ConsumerWorker on RabbitMQ")
class AmqpWorkerRecoveryTest {

    private final TestBroker broker;

    AmqpWorkerRecoveryTest(TestBroker broker) {
        this.broker = broker;
    }

    @Test
    @DisplayName("goes RECOVERING then CONSUMING when the broker closes its connection, and keeps consuming")
    void recoversFromBrokerClosedConnection() throws Exception {
        assumeTrue(Rabbitmqctl.local(broker).isPresent(), "rabbitmqctl is not usable for this broker");
        String name = "seedmq-worker-recovery-" + UUID.randomUUID();
        String queue = name;
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        BlockingQueue<Lifecycle.State> states = new LinkedBlockingQueue<>();
        try (Connection conn = Connection.open(broker.options().toBuilder().connectionName(name).build())) {
            ConsumerWorker worker = ConsumerWorker.builder(conn)
                    .consume(ConsumerOptions.builder().queue(Queue.builder(queue).build()).prefetch(1).build(),
                            message -> {
                                received.add(message.payload(String.class));
                                message.ack();
                            })
                    .stopTimeout(Duration.ofSeconds(5))
                    .build();
            worker.addStateListener((from, to, cause) -> states.add(to));
            worker.start();
            try {
                assertEquals(List.of(Lifecycle.State.STARTING, Lifecycle.State.RUNNING), take(states, 2));
                conn.producer().publish("before", Publish.toQueue(queue));
                assertEquals("before", received.poll(10, TimeUnit.SECONDS));

                assertTrue(Rabbitmqctl.local(broker).orElseThrow().closeConnections(name, "seedmq worker recovery test") >= 1);

                assertEquals(List.of(Lifecycle.State.RECOVERING, Lifecycle.State.RUNNING), take(states, 2));
                conn.producer().publish("after", Publish.toQueue(queue));
                assertEquals("after", received.poll(10, TimeUnit.SECONDS));
            } finally {
                assertTrue(worker.stop(), "the worker stops cleanly");
                conn.deleteQueue(queue);
            }
            // The seedmq connection is two AMQP connections (publish, consume), closed one after the
            // other; on a busy machine the first may recover before the second is closed, which is a
            // second, real RECOVERING -> CONSUMING cycle. Whatever came, the worker ends stopped.
            List<Lifecycle.State> rest = new java.util.ArrayList<>();
            for (Lifecycle.State s = states.poll(20, TimeUnit.SECONDS); s != null; s = states.poll(20, TimeUnit.SECONDS)) {
                rest.add(s);
                if (s == Lifecycle.State.STOPPED) {
                    break;
                }
            }
            assertTrue(rest.size() >= 2, rest.toString());
            assertEquals(List.of(Lifecycle.State.STOPPING, Lifecycle.State.STOPPED), rest.subList(rest.size() - 2, rest.size()));
            // The second connection may also be lost after "after" arrived and the stop come while it
            // recovers: then the last cycle is a RECOVERING the stop ends.
            List<Lifecycle.State> extra = rest.subList(0, rest.size() - 2);
            for (int i = 0; i < extra.size(); i += 2) {
                List<Lifecycle.State> cycle = extra.subList(i, Math.min(i + 2, extra.size()));
                List<Lifecycle.State> expected = cycle.size() == 2
                        ? List.of(Lifecycle.State.RECOVERING, Lifecycle.State.RUNNING) : List.of(Lifecycle.State.RECOVERING);
                assertEquals(expected, cycle, rest.toString());
            }
        }
    }

    private static List<Lifecycle.State> take(BlockingQueue<Lifecycle.State> states, int n) throws InterruptedException {
        List<Lifecycle.State> seen = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            Lifecycle.State s = states.poll(20, TimeUnit.SECONDS);
            if (s == null) {
                break;
            }
            seen.add(s);
        }
        return seen;
    }
}
