package io.seedmq.messaging.amqp.test;

import static org.junit.jupiter.api.Assertions.fail;

import io.seedmq.messaging.ConnectionOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the Python peers of the interoperability tests: scripts under {@code /interop/} on the
 * test class path, run by Debian's interpreter (which sees Debian's {@code python3-kombu} and
 * {@code python3-oslo.messaging}; a pyenv {@code python3} on the PATH would not).
 */
public final class PythonPeer {

    /** Debian's interpreter. */
    public static final String PYTHON = "/usr/bin/python3";

    private PythonPeer() {
    }

    /**
     * Skips the calling test class when a Python module is missing, or fails it when
     * {@code SEEDMQ_REQUIRE_BROKER=true} (CI installs the peers).
     *
     * @param module the module to import, e.g. {@code oslo_messaging}
     * @param debianPackage the package that provides it
     */
    public static void require(String module, String debianPackage) {
        boolean installed;
        try {
            installed = Files.isExecutable(Path.of(PYTHON))
                    && run(Duration.ofSeconds(60), List.of(PYTHON, "-c", "import " + module)).exitCode() == 0;
        } catch (IOException e) {
            installed = false;
        }
        if (!installed) {
            String why = debianPackage + " is not installed for " + PYTHON + " (apt-get install " + debianPackage + ")";
            if ("true".equalsIgnoreCase(System.getenv("SEEDMQ_REQUIRE_BROKER"))) {
                fail(why);
            }
            Assumptions.abort(why);
        }
    }

    /**
     * Runs a script to its end.
     *
     * @param timeout how long it may take (the test fails after)
     * @param script the script's file name under {@code /interop/}
     * @param args its arguments
     * @return its exit code and output
     */
    public static Result run(Duration timeout, String script, String... args) throws IOException {
        return run(timeout, Map.of(), script, args);
    }

    /**
     * Runs a script to its end with more environment variables (a broker URL, which never goes on
     * a command line that {@code ps} shows).
     *
     * @param timeout how long it may take (the test fails after)
     * @param env variables added to this process's environment
     * @param script the script's file name under {@code /interop/}
     * @param args its arguments
     * @return its exit code and output
     */
    public static Result run(Duration timeout, Map<String, String> env, String script, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(PYTHON, "-u", script(script)));
        command.addAll(List.of(args));
        return run(timeout, env, command);
    }

    private static Result run(Duration timeout, List<String> command) throws IOException {
        return run(timeout, Map.of(), command);
    }

    private static Result run(Duration timeout, Map<String, String> env, List<String> command) throws IOException {
        Path out = Files.createTempFile("seedmq-interop", ".out");
        Path err = Files.createTempFile("seedmq-interop", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().putAll(env);
            Process p = builder.start();
            try {
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    fail("python did not finish within " + timeout + ": " + command + "\nstderr: " + Files.readString(err));
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                fail("interrupted while waiting for " + command);
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /**
     * Starts a long-running script (a server, a listener); its standard output is read line by
     * line.
     *
     * @param script the script's file name under {@code /interop/}
     * @param args its arguments
     * @return the running process; close it to stop it
     */
    public static Running start(String script, String... args) throws IOException {
        return start(Map.of(), script, args);
    }

    /**
     * Starts a long-running script with more environment variables.
     *
     * @param env variables added to this process's environment
     * @param script the script's file name under {@code /interop/}
     * @param args its arguments
     * @return the running process; close it to stop it
     */
    public static Running start(Map<String, String> env, String script, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(PYTHON, "-u", script(script)));
        command.addAll(List.of(args));
        return startProcess(command, env);
    }

    /**
     * Starts any long-running process (a Java child, say) whose standard output is read line by
     * line, as a script's.
     *
     * @param command the command line
     * @param env variables added to this process's environment
     * @return the running process; close it to stop it (SIGTERM first, so shutdown hooks run)
     */
    public static Running startProcess(List<String> command, Map<String, String> env) throws IOException {
        Path err = Files.createTempFile("seedmq-interop", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(err.toFile());
        builder.environment().putAll(env);
        return new Running(builder.start(), err);
    }

    /**
     * @param scheme {@code rabbit} for oslo.messaging's rabbit driver, {@code amqp} for kombu
     * @param options the broker's options
     * @return the broker's URL as kombu and oslo write it: {@code scheme://user:pass@host:port/vhost}
     *     with the vhost percent-encoded ({@code /} is {@code %2F})
     */
    public static String url(String scheme, ConnectionOptions options) {
        var address = options.addresses().get(0);
        return scheme + "://" + enc(options.username()) + ":" + enc(options.password()) + "@" + address.host() + ":"
                + address.portOr(5672) + "/" + enc(options.virtualHost());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String script(String name) {
        try {
            return Path.of(PythonPeer.class.getResource("/interop/" + name).toURI()).toString();
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalArgumentException("no interop script " + name, e);
        }
    }

    /**
     * What a finished script did.
     *
     * @param exitCode its exit code
     * @param stdout its standard output
     * @param stderr its standard error
     */
    public record Result(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\nstdout: " + stdout + "\nstderr: " + stderr;
        }
    }

    /** A script running in the background. */
    public static final class Running implements AutoCloseable {
        private final Process process;
        private final Path stderr;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        private Running(Process process, Path stderr) {
            this.process = process;
            this.stderr = stderr;
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // The process went away; the lines read so far stay.
                }
            }, "python-peer-stdout");
            reader.setDaemon(true);
            reader.start();
        }

        /**
         * Waits for the next output line that matches, skipping others.
         *
         * @param matches which line
         * @param timeout how long to wait (the test fails after)
         * @return the line
         */
        public String awaitLine(Predicate<String> matches, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    fail("no matching line within " + timeout + (process.isAlive() ? "" : " (it exited "
                            + process.exitValue() + ")") + "\nstderr: " + stderrText());
                }
                if (matches.test(line)) {
                    return line;
                }
            }
        }

        /**
         * @param timeout how long to wait
         * @return the next output line, or {@code null} when none came in time
         */
        public String pollLine(Duration timeout) throws InterruptedException {
            return lines.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }

        /** @return what the script wrote to standard error so far */
        public String stderrText() {
            try {
                return Files.readString(stderr);
            } catch (IOException e) {
                return "(unreadable: " + e + ")";
            }
        }

        /** Stops the script (SIGTERM, then SIGKILL after 10 s). */
        @Override
        public void close() throws InterruptedException, IOException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            Files.deleteIfExists(stderr);
        }
    }
}
