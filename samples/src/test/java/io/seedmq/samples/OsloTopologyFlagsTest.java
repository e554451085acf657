package io.seedmq.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seedmq.messaging.oslo.OsloTopology;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** The oslo topology flags of the oslo RPC and notification samples: oslo's option names, with dashes. */
@DisplayName("The samples' oslo topology flags")
class OsloTopologyFlagsTest {

    private static OsloTopology parse(String... args) {
        OsloTopologyFlags flags = new OsloTopologyFlags();
        CommandSpec spec = CommandSpec.create();
        spec.addMixin("topology", CommandSpec.forAnnotatedObject(flags));
        new CommandLine(spec).parseArgs(args);
        return flags.topology();
    }

    @Test
    @DisplayName("no flag is seedmq's default topology; --oslo-historical is oslo 14.0.3's")
    void profiles() {
        assertEquals(OsloTopology.defaults(), parse());
        assertEquals(OsloTopology.historical(), parse("--oslo-historical"));
    }

    @Test
    @DisplayName("each flag sets the oslo option of its name, as the same [oslo_messaging_rabbit] section would")
    void flagsAreOsloOptions() {
        OsloTopology fromFlags = parse("--oslo-historical", "--amqp-durable-queues", "--amqp-auto-delete=false",
                "--rabbit-quorum-queue", "--rabbit-quorum-delivery-limit", "5", "--rabbit-quorum-max-memory-length", "100",
                "--rabbit-quorum-max-memory-bytes", "4096", "--rabbit-transient-queues-ttl", "60",
                "--rabbit-transient-quorum-queue", "--use-queue-manager", "--hostname", "h", "--processname", "p");
        assertEquals(OsloTopology.fromSettings(Map.ofEntries(Map.entry("amqp_durable_queues", "true"),
                Map.entry("amqp_auto_delete", "false"), Map.entry("rabbit_quorum_queue", "true"),
                Map.entry("rabbit_quorum_delivery_limit", "5"), Map.entry("rabbit_quorum_max_memory_length", "100"),
                Map.entry("rabbit_quorum_max_memory_bytes", "4096"), Map.entry("rabbit_transient_queues_ttl", "60"),
                Map.entry("rabbit_transient_quorum_queue", "true"), Map.entry("use_queue_manager", "true"),
                Map.entry("hostname", "h"), Map.entry("processname", "p"))), fromFlags);
        assertEquals(Duration.ofSeconds(60), fromFlags.rabbitTransientQueuesTtl());
        assertEquals(false, parse("--rabbit-transient-quorum-queue=false").rabbitTransientQuorumQueue());
    }

    @Test
    @DisplayName("the oslo RPC and notification commands list the flags, and refuse what oslo refuses as a usage error")
    void onTheCommands() {
        for (String command : new String[] {"oslo-rpc-server", "oslo-rpc-client", "notify-send", "notify-listener"}) {
            StringWriter out = new StringWriter();
            assertEquals(0, Main.run(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), command, "--help"));
            for (String flag : new String[] {"--oslo-historical", "--amqp-durable-queues", "--rabbit-quorum-queue",
                    "--rabbit-quorum-delivery-limit", "--rabbit-transient-queues-ttl", "--use-queue-manager"}) {
                assertTrue(out.toString().contains(flag), command + " lists " + flag + ":\n" + out);
            }
        }
        StringWriter err = new StringWriter();
        int status = Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "oslo-rpc-client",
                "--url", "amqp://guest:guest@127.0.0.1:1/", "--rabbit-stream-fanout", "--rabbit-transient-quorum-queue=false");
        assertEquals(2, status, err.toString());
        assertTrue(err.toString().contains("rabbit_stream_fanout needs rabbit_transient_quorum_queue"), err.toString());
    }
}
