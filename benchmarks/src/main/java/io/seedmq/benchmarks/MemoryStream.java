package io.seedmq.benchmarks;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Scenario 7: {@link Settings#streamMessages()} messages through a worker in a child JVM whose
 * heap is fixed at {@value #HEAP}, so a per-message leak ends in an {@link OutOfMemoryError} or a
 * slow-down rather than passing unnoticed. The child is {@link StreamMain}; it reports the
 * throughput of the whole stream, of its first and of its last quarter (the rate once compiled) and
 * the heap still used after a full collection at the end. The reference streams through a {@code LinkedBlockingQueue} the same way.
 */
final class MemoryStream implements Scenario {

    /** The child JVM's fixed heap. */
    static final String HEAP = "64m";
    static final String THROUGHPUT = "msg/s";
    /**
     * The rate once the JIT has compiled the path: a long-running worker's throughput, where the
     * whole stream's rate also holds the child JVM's start-up and compilation.
     */
    static final String STEADY = "last quarter msg/s";
    static final String STEADINESS = "last÷first quarter msg/s";
    static final String LIVE_HEAP = "heap after GC MB";

    @Override
    public String id() {
        return "7";
    }

    @Override
    public String title() {
        return "memory:// stream through a ConsumerWorker in a -Xmx" + HEAP + " JVM";
    }

    @Override
    public String reference() {
        return "LinkedBlockingQueue handoff, same JVM flags";
    }

    @Override
    public boolean needsBroker() {
        return false;
    }

    @Override
    public List<Metric> metrics() {
        return List.of(Metric.higher(THROUGHPUT, "≥ 0.5"), Metric.higher(STEADY, ""), Metric.higher(STEADINESS, ""),
                Metric.lower(LIVE_HEAP, ""));
    }

    @Override
    public Map<String, Double> run(Side side, Settings settings) throws Exception {
        String java = ProcessHandle.current().info().command()
                .orElse(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + HEAP, "-cp", System.getProperty("java.class.path"),
                StreamMain.class.getName(), side.name(), Integer.toString(settings.streamMessages())));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!child.waitFor(10, TimeUnit.MINUTES) || child.exitValue() != 0) {
            child.destroyForcibly();
            throw new IllegalStateException("the -Xmx" + HEAP + " stream JVM failed: " + output.strip());
        }
        return parse(output);
    }

    /** Reads the child's {@code key=value} result line. */
    private static Map<String, Double> parse(String output) {
        String line = output.lines().filter(l -> l.startsWith(StreamMain.RESULT)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no result from the stream JVM: " + output.strip()));
        Map<String, Double> values = new HashMap<>();
        for (String pair : line.substring(StreamMain.RESULT.length()).trim().split(" ")) {
            String[] kv = pair.split("=", 2);
            values.put(kv[0], Double.parseDouble(kv[1]));
        }
        return Map.of(THROUGHPUT, values.get("overall"), STEADY, values.get("last"),
                STEADINESS, values.get("last") / values.get("first"), LIVE_HEAP, values.get("heapMb"));
    }
}
