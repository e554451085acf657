package io.seedmq.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link LoadWorker} in a child JVM limited to {@value #HEAP} of heap and checks its
 * {@code RESULT}: every message consumed, the JVM ended normally (no OutOfMemoryError), no more
 * threads at the end than once warm.
 */
final class LoadRun {

    static final String HEAP = "64m";
    /** Messages per run. */
    static final int N = 1_000_000;

    private LoadRun() {
    }

    static Map<String, String> run(String url) throws Exception {
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

}
