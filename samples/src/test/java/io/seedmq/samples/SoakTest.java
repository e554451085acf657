package io.seedmq.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seedmq.messaging.amqp.test.BrokerEndpoint;
import io.seedmq.messaging.amqp.test.RabbitBroker;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Load: 1,000,000 small messages through a worker in a child JVM limited to {@value #HEAP} of heap,
 * on the in-memory broker and on RabbitMQ; the run must finish, deliver everything, and end with
 * no more threads than it had once warm. Tagged {@code soak}: it runs with {@code mvn -Psoak verify}
 * (a few minutes), not in the normal test run.
 */
@Tag("soak")
@RabbitBroker
@DisplayName("Soak: a million messages through a worker with a bounded heap")
class SoakTest {

    static final String HEAP = "64m";
    private static final int N = 1_000_000;

    private static Map<String, String> run(String url) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(javaBin, "-Xmx" + HEAP, "-cp", System.getProperty("java.class.path"),
                LoadWorker.class.getName(), String.valueOf(N)).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("SEEDMQ_LOAD_URL", url);
        Process p = pb.start();
        String result = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                System.out.println(line);
                if (line.startsWith("RESULT ")) {
                    result = line;
                }
            }
        }
        assertTrue(p.waitFor(15, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), "the load JVM (-Xmx" + HEAP + ") ran to the end without OutOfMemoryError");
        assertNotNull(result);
        Map<String, String> fields = new HashMap<>();
        for (String kv : List.of(result.substring("RESULT ".length()).split(" "))) {
            String[] parts = kv.split("=", 2);
            fields.put(parts[0], parts[1]);
        }
        System.out.println("soak " + url.replaceAll(":[^:@/]*@", ":****@") + ": " + fields);
        assertEquals("true", fields.get("all"), "every message was consumed");
        assertTrue(Integer.parseInt(fields.get("threadsEnd")) <= Integer.parseInt(fields.get("threadsWarm")) + 2,
                "no thread growth: " + fields);
        return fields;
    }

    @Test
    @DisplayName("memory://: a million messages, heap bounded, no thread growth")
    void inMemory() throws Exception {
        run("memory://soak-" + UUID.randomUUID());
    }

    @Test
    @DisplayName("RabbitMQ: a million messages, heap bounded, no thread growth")
    void rabbitMq(BrokerEndpoint broker) throws Exception {
        run(broker.url());
    }
}
