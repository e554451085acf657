package io.seedmq.messaging.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seedmq.messaging.Connection;
import io.seedmq.messaging.ConnectionOptions;
import io.seedmq.messaging.OperationTimeoutException;
import io.seedmq.messaging.Publish;
import io.seedmq.messaging.Queue;
import io.seedmq.messaging.amqp.test.TcpProxy;
import io.seedmq.messaging.retry.RetryPolicy;
import io.seedmq.messaging.test.BrokerKind;
import io.seedmq.messaging.test.SeedmqTest;
import io.seedmq.messaging.test.TestBroker;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Publisher confirms that never come: a network that goes silent (a {@link TcpProxy} frozen
 * between client and broker) holds every confirm back, and each publish must fail at its own
 * deadline, the operation timeout after it was sent, not later and not together with the first.
 */
@SeedmqTest(broker = BrokerKind.RABBITMQ)
@DisplayName("Publisher confirms that never come")
class AmqpConfirmTimeoutTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    /** How long the second publish is sent after the first. */
    private static final Duration APART = Duration.ofMillis(700);
    /** Slack for a loaded machine's scheduler on top of the timeout. */
    private static final Duration SLACK = Duration.ofSeconds(3);
    private static final long WAIT_SECONDS = 10;

    private final TestBroker broker;

    AmqpConfirmTimeoutTest(TestBroker broker) {
        this.broker = broker;
    }

    @Test
    @DisplayName("each unconfirmed publish fails with OperationTimeoutException at its own deadline; publishing works again once confirms flow")
    void eachPublishTimesOutAtItsOwnDeadline() throws Exception {
        String q = "seedmq-confirm-timeout-" + UUID.randomUUID().toString().substring(0, 8);
        ConnectionOptions target = broker.options();
        try (TcpProxy proxy = new TcpProxy(target.addresses().get(0).host(), target.addresses().get(0).portOr(5672));
             Connection conn = Connection.open(target.toBuilder().addresses(List.of()).address("127.0.0.1", proxy.port())
                     .connectionName(q).operationTimeout(TIMEOUT).retryPolicy(RetryPolicy.none())
                     // Far beyond the pause: the connection must stay up, only the confirms are late.
                     .heartbeat(Duration.ofSeconds(60)).build())) {
            conn.declare(Queue.builder(q).durable(true).build());
            Publish publish = Publish.toQueue(q).persistent(false);
            conn.producer().publish("before", publish);
            proxy.pause();
            try {
                long start = System.nanoTime();
                CompletableFuture<Void> first = conn.producer().publishAsync("first", publish);
                assertThrows(TimeoutException.class, () -> first.get(APART.toMillis(), TimeUnit.MILLISECONDS),
                        "no confirm while the network is silent");
                long secondSent = System.nanoTime();
                CompletableFuture<Void> second = conn.producer().publishAsync("second", publish);

                ExecutionException e1 = assertThrows(ExecutionException.class, () -> first.get(WAIT_SECONDS, TimeUnit.SECONDS));
                long firstFailed = System.nanoTime();
                assertInstanceOf(OperationTimeoutException.class, e1.getCause());
                assertFalse(second.isDone(), "the second publish's deadline is later: it still waits");
                ExecutionException e2 = assertThrows(ExecutionException.class, () -> second.get(WAIT_SECONDS, TimeUnit.SECONDS));
                long secondFailed = System.nanoTime();
                assertInstanceOf(OperationTimeoutException.class, e2.getCause());

                Duration firstTook = Duration.ofNanos(firstFailed - start);
                Duration secondTook = Duration.ofNanos(secondFailed - secondSent);
                assertTrue(firstTook.compareTo(TIMEOUT) >= 0 && firstTook.compareTo(TIMEOUT.plus(SLACK)) < 0,
                        "the first fails one timeout after it was sent: " + firstTook);
                assertTrue(secondTook.compareTo(TIMEOUT) >= 0 && secondTook.compareTo(TIMEOUT.plus(SLACK)) < 0,
                        "the second fails one timeout after it was sent: " + secondTook);
                assertEquals(0, conn.producer().window().unconfirmed(), "nothing is left waiting");
            } finally {
                proxy.resume();
            }
            conn.producer().publish("after", publish);
            conn.deleteQueue(q);
        }
    }
}
