package io.seedmq.samples;

import io.seedmq.messaging.Connection;
import io.seedmq.messaging.DeclarationConflictException;
import io.seedmq.messaging.Exchange;
import io.seedmq.messaging.Queue;
import io.seedmq.messaging.amqp.test.PythonPeer;
import io.seedmq.messaging.test.BrokerKind;
import io.seedmq.messaging.test.SeedmqTest;
import io.seedmq.messaging.test.TestBroker;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The samples' {@code --role} processes and the pika tutorials' scripts (the seeds' pika form, run by
 * Debian's {@code python3-pika}) on one RabbitMQ, each pattern in both directions: the sample plays
 * one party in a child JVM, exactly as {@code java -jar seedmq-samples.jar ... --role ...} does, and
 * the tutorial's script the other. They meet on the tutorials' own names, which both sides declare
 * alike (pika's defaults: exchanges not durable; {@code rpc_queue} durable, as RabbitMQ 4.3 needs). Each message carries a
 * token of its own, so a leftover or another user of the shared broker cannot be taken for it.
 */
@SeedmqTest(broker = BrokerKind.RABBITMQ)
@DisplayName("The samples' roles and the pika tutorials on one broker")
class PikaInteropTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final TestBroker broker;
    private final String token = UUID.randomUUID().toString().substring(0, 8);

    PikaInteropTest(TestBroker broker) {
        this.broker = broker;
    }

    @BeforeAll
    static void pikaIsInstalled() {
        PythonPeer.require("pika", "python3-pika");
    }

    /**
     * Samples before this one declared the tutorials' exchanges durable, as kombu does, and
     * {@code rpc_queue} transient; a broker that kept one would refuse pika's declaration. Such a
     * leftover is replaced by the tutorials' form.
     */
    @BeforeAll
    static void tutorialTopology(TestBroker broker) {
        try (Connection admin = broker.connect()) {
            for (Exchange exchange : List.of(PublishSubscribe.logs(PublishSubscribe.EXCHANGE),
                    Routing.directLogs(Routing.EXCHANGE), Topics.topicLogs(Topics.EXCHANGE))) {
                replaceIfInequivalent(() -> admin.declare(exchange), () -> admin.deleteExchange(exchange.name(), false));
            }
            Queue rpc = Rpc.requestQueue(Rpc.QUEUE);
            replaceIfInequivalent(() -> admin.declare(rpc), () -> admin.deleteQueue(rpc.name()));
        }
    }

    private static void replaceIfInequivalent(Runnable declare, Runnable delete) {
        try {
            declare.run();
        } catch (DeclarationConflictException e) {
            delete.run();
            declare.run();
        }
    }

    @Test
    @DisplayName("work queues: pika's new_task.py to a sample worker, the sample's new-task to pika's worker.py")
    void workQueues() throws Exception {
        try (PythonPeer.Running worker = seedmq("work-queues", "--role", "worker")) {
            worker.awaitLine(l -> l.contains("Waiting for tasks"), WAIT);
            pikaRun("new_task.py", "from pika " + token + " .");
            worker.awaitLine(l -> l.equals(" [x] Done 'from pika " + token + " .'"), WAIT);
        }
        try (PythonPeer.Running worker = pika("worker.py")) {
            worker.awaitLine(l -> l.contains("Waiting for messages"), WAIT);
            seedmqRun(l -> l.contains(" [x] Sent"), "work-queues", "--role", "new-task", "from seedmq " + token + " .");
            worker.awaitLine(l -> l.equals(" [x] Received from seedmq " + token + " ."), WAIT);
            worker.awaitLine(l -> l.equals(" [x] Done"), WAIT);
        }
    }

    @Test
    @DisplayName("publish/subscribe on 'logs': pika's emit_log.py to a sample receiver, and the other way round")
    void publishSubscribe() throws Exception {
        try (PythonPeer.Running receiver = seedmq("pubsub", "--role", "receive")) {
            receiver.awaitLine(l -> l.contains("Waiting for logs"), WAIT);
            pikaRun("emit_log.py", "info: from pika " + token);
            receiver.awaitLine(l -> l.equals(" [x] info: from pika " + token), WAIT);
        }
        try (PythonPeer.Running receiver = pika("receive_logs.py")) {
            receiver.awaitLine(l -> l.contains("Waiting for logs"), WAIT);
            seedmqRun(l -> l.contains(" [x] Sent"), "pubsub", "--role", "emit", "info: from seedmq " + token);
            receiver.awaitLine(l -> l.equals(" [x] info: from seedmq " + token), WAIT);
        }
    }

    @Test
    @DisplayName("routing on 'direct_logs': by severity, both ways")
    void routing() throws Exception {
        try (PythonPeer.Running receiver = seedmq("routing", "--role", "receive", "error")) {
            receiver.awaitLine(l -> l.contains("Waiting for logs"), WAIT);
            pikaRun("emit_log_direct.py", "error", "from pika " + token);
            receiver.awaitLine(l -> l.equals(" [x] error:from pika " + token), WAIT);
        }
        try (PythonPeer.Running receiver = pika("receive_logs_direct.py", "warning", "error")) {
            receiver.awaitLine(l -> l.contains("Waiting for logs"), WAIT);
            seedmqRun(l -> l.contains(" [x] Sent"), "routing", "--role", "emit", "error", "from seedmq " + token);
            receiver.awaitLine(l -> l.equals(" [x] error:from seedmq " + token), WAIT);
        }
    }

    @Test
    @DisplayName("topics on 'topic_logs': by pattern, both ways")
    void topics() throws Exception {
        try (PythonPeer.Running receiver = seedmq("topics", "--role", "receive", "kern.*", "*.critical")) {
            receiver.awaitLine(l -> l.contains("Waiting for logs"), WAIT);
            pikaRun("emit_log_topic.py", "kern.critical", "from pika " + token);
            receiver.awaitLine(l -> l.equals(" [x] kern.critical:from pika " + token), WAIT);
        }
        try (PythonPeer.Running receiver = pika("receive_logs_topic.py", "#")) {
            receiver.awaitLine(l -> l.contains("Waiting for logs"), WAIT);
            seedmqRun(l -> l.contains(" [x] Sent"), "topics", "--role", "emit", "kern.disk.full", "from seedmq " + token);
            receiver.awaitLine(l -> l.equals(" [x] kern.disk.full:from seedmq " + token), WAIT);
        }
    }

    @Test
    @DisplayName("RPC on 'rpc_queue': pika's rpc_client.py to the sample server, the sample client to pika's rpc_server.py")
    void rpc() throws Exception {
        try (PythonPeer.Running server = seedmq("rpc", "--role", "server")) {
            server.awaitLine(l -> l.contains("Awaiting RPC requests"), WAIT);
            PythonPeer.Result client = pikaRun("rpc_client.py", "20");
            if (!client.stdout().contains(" [.] Got 6765")) {
                throw new AssertionError("pika's client did not get fib(20): " + client);
            }
            server.awaitLine(l -> l.equals(" [.] fib(20)"), WAIT);
        }
        try (PythonPeer.Running server = pika("rpc_server.py")) {
            server.awaitLine(l -> l.contains("Awaiting RPC requests"), WAIT);
            seedmqRun(l -> l.equals(" [.] Got 6765"), "rpc", "--role", "client", "20");
            server.awaitLine(l -> l.equals(" [.] fib(20)"), WAIT);
        }
    }

    /** Starts one sample role in a child JVM, as {@code java -jar seedmq-samples.jar} would run it. */
    private PythonPeer.Running seedmq(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        command.addAll(List.of("--url", broker.url()));
        return PythonPeer.startProcess(command, Map.of());
    }

    /** Runs a sample role that ends by itself, until it printed the line that shows it did its part. */
    private void seedmqRun(java.util.function.Predicate<String> done, String... args) throws Exception {
        try (PythonPeer.Running role = seedmq(args)) {
            role.awaitLine(done, WAIT);
        }
    }

    private PythonPeer.Running pika(String script, String... args) throws IOException {
        return PythonPeer.start(env(), "pika/" + script, args);
    }

    private PythonPeer.Result pikaRun(String script, String... args) throws IOException {
        PythonPeer.Result result = PythonPeer.run(WAIT, env(), "pika/" + script, args);
        if (result.exitCode() != 0) {
            throw new AssertionError("pika's " + script + " failed: " + result);
        }
        return result;
    }

    private Map<String, String> env() {
        return Map.of("AMQP_URL", PythonPeer.url("amqp", broker.options()));
    }
}
