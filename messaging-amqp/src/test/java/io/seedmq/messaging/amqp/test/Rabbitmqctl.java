package io.seedmq.messaging.amqp.test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import io.seedmq.messaging.test.TestBroker;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Drives a local broker's {@code rabbitmqctl}, for fault-injection tests. */
public final class Rabbitmqctl {

    private static final Pattern PID = Pattern.compile("^(<[^>\\s]+>)\\s");
    private static final long TIMEOUT_SECONDS = 60;

    private final String node;

    Rabbitmqctl() {
        this(null);
    }

    /** @param node the Erlang node name ({@code -n}), or {@code null} for rabbitmqctl's default */
    Rabbitmqctl(String node) {
        this.node = node;
    }

    /**
     * @param broker a test's broker
     * @return the local {@code rabbitmqctl}, when the broker is the local RabbitMQ and it reaches it
     *     (a broker from {@code SEEDMQ_AMQP_URL} or a container has none here)
     */
    public static Optional<Rabbitmqctl> local(TestBroker broker) {
        if (broker.source() != TestBroker.Source.LOCAL) {
            return Optional.empty();
        }
        Rabbitmqctl local = new Rabbitmqctl();
        return local.usable() ? Optional.of(local) : Optional.empty();
    }

    /** @return whether {@code rabbitmqctl} runs and reaches the broker */
    boolean usable() {
        try {
            run("list_connections", "-q", "pid");
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** @return the node it drives, or {@code null} for the default node */
    public String node() {
        return node;
    }

    /** Stops the RabbitMQ application on the node (the Erlang node stays up); every connection drops. */
    public void stopApp() throws IOException {
        run("stop_app");
    }

    /**
     * Evaluates an Erlang expression on the node (for what rabbitmqctl has no command for, such as
     * starting a TLS listener at run time).
     *
     * @param expression Erlang, ending with a full stop
     * @return what the node printed
     */
    public String eval(String expression) throws IOException {
        return run("eval", expression);
    }

    /**
     * Sets the memory high watermark (a fraction of the machine's memory): a tiny one raises the
     * memory alarm at once, and the broker blocks its publishers until it is raised again.
     *
     * @param fraction for example {@code "0.000001"} to block, {@code "0.4"} (RabbitMQ's default) to restore
     */
    public void setMemoryHighWatermark(String fraction) throws IOException {
        run("set_vm_memory_high_watermark", fraction);
    }

    /** Starts the RabbitMQ application again and returns once it accepts connections. */
    public void startApp() throws IOException {
        run("start_app");
        run("await_startup");
    }

    /**
     * @param queue a quorum queue's or a stream's name, in the default virtual host
     * @return the node its leader is on, as the node asked sees it
     * @throws IOException when rabbitmqctl fails or the queue is not listed
     */
    public String leaderOf(String queue) throws IOException {
        String table = run("list_queues", "name", "leader", "-q", "-s", "--formatter", "csv");
        for (String line : table.split("\n")) {
            String[] cells = line.replace("\"", "").split(",");
            if (cells.length >= 2 && cells[0].equals(queue) && !cells[1].isBlank()) {
                return cells[1].trim();
            }
        }
        throw new IOException("queue '" + queue + "' has no leader in: " + table);
    }

    /**
     * Closes, from the broker side, every connection whose client-provided name starts with a prefix.
     *
     * @param namePrefix prefix of the connection names
     * @param reason the explanation the client receives
     * @return how many were closed
     */
    public int closeConnections(String namePrefix, String reason) throws IOException {
        // The JSON formatter prints pids as #PID<...>, which close_connection does not accept.
        String table = run("list_connections", "pid", "client_properties", "-q");
        List<String> pids = new ArrayList<>();
        for (String line : table.split("\n")) {
            Matcher m = PID.matcher(line);
            if (m.find() && line.contains("{\"connection_name\",\"" + namePrefix)) {
                pids.add(m.group(1));
            }
        }
        for (String pid : pids) {
            run("close_connection", pid, reason);
        }
        return pids.size();
    }

    private String run(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add("rabbitmqctl");
        if (node != null) {
            command.add("-n");
            command.add(node);
        }
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("rabbitmqctl " + args[0] + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException("rabbitmqctl " + args[0] + " exited with " + p.exitValue() + ": " + out);
        }
        return out;
    }
}
