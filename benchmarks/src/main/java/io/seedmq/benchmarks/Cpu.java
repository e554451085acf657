package io.seedmq.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * CPU time and context switches of this process (the client, and the server of the RPC scenarios,
 * which run in the same JVM), less its JIT compiler threads, and of the local RabbitMQ ({@code beam.smp}), read as user plus system time from
 * {@code /proc/<pid>/stat}. On a shared machine a rate swings with the neighbours' load, while the
 * CPU each side spends per message barely moves: that is the figure to compare, and what a user
 * pays. The JIT compiler's threads are left out of the client's figure: compiling is paid once,
 * not per message, and a longer code path is still being compiled in the first runs of a
 * low-rate scenario (a few hundred RPC calls or notifications a second), where it made up to a
 * third of the process's CPU in a 5-second window. Garbage collection stays in: it is paid per
 * message allocated. The broker is the {@code beam.smp} listening on the URL's port (several RabbitMQ nodes may
 * run on one machine); it is unknown, and the broker figures are left out, when it is not local or
 * {@code /proc} cannot be read.
 */
final class Cpu {

    /** Metric name of the client process's CPU per message or call, its JIT compiler threads left out. */
    static final String CLIENT = "client CPU µs/msg";
    /** Metric name of the broker's CPU per message or call. */
    static final String BROKER = "broker CPU µs/msg";
    /**
     * Metric name of the client process's context switches per message or call: each is a thread
     * going to sleep or being put aside, and waking one costs microseconds of kernel time, more on
     * a quiet machine whose idle core has to wake first. It counts the thread handoffs a design
     * makes, which CPU and rates only show blurred.
     */
    static final String SWITCHES = "client context switches/msg";

    /** {@code /proc} counts in clock ticks of USER_HZ, which Linux fixes at 100 for user space. */
    private static final long NANOS_PER_TICK = 10_000_000L;
    private static final Path SELF = Path.of("/proc/self/stat");
    private static final Path SELF_TASKS = Path.of("/proc/self/task");

    private final OptionalLong brokerPid;

    private Cpu(OptionalLong brokerPid) {
        this.brokerPid = brokerPid;
    }

    /**
     * @param amqpUrl the broker's URL
     * @param withBroker whether the scenario uses the broker at all
     * @return a clock for this process and, when {@code withBroker} and found, the broker
     */
    static Cpu of(String amqpUrl, boolean withBroker) {
        return new Cpu(withBroker ? brokerPid(amqpUrl) : OptionalLong.empty());
    }

    /** @return a clock for this process only */
    static Cpu clientOnly() {
        return new Cpu(OptionalLong.empty());
    }

    /** @return the CPU used so far; a negative figure where it could not be read */
    Snapshot now() {
        long broker = brokerPid.isPresent() ? nanos(Path.of("/proc", Long.toString(brokerPid.getAsLong()), "stat")) : -1;
        long self = nanos(SELF);
        Map<String, Long> switches = new HashMap<>();
        long jit = threads(switches);
        return new Snapshot(self < 0 || jit < 0 ? -1 : self - jit, broker, jit < 0 ? null : switches);
    }

    /**
     * One pass over this JVM's threads in {@code /proc}.
     *
     * @param switches filled with the context switches (voluntary and not) of each thread but the
     *     JIT compiler's, by thread id
     * @return CPU nanoseconds of the JIT compiler threads ({@code C1 CompilerThre},
     *     {@code C2 CompilerThre}); -1 if {@code /proc} cannot be read. A compiler thread the JVM
     *     ended takes its count with it, so this may fall short, never over.
     */
    static long threads(Map<String, Long> switches) {
        // A thread ending while the directory is listed can fail the listing: list again.
        for (int attempt = 1; attempt < 3; attempt++) {
            long compiler = listThreads(switches);
            if (compiler >= 0) {
                return compiler;
            }
            switches.clear();
        }
        return listThreads(switches);
    }

    private static long listThreads(Map<String, Long> switches) {
        try (Stream<Path> tasks = Files.list(SELF_TASKS)) {
            long compiler = 0;
            for (Path task : (Iterable<Path>) tasks::iterator) {
                Path stat = task.resolve("stat");
                String line;
                try {
                    line = Files.readString(stat);
                } catch (IOException gone) {
                    continue;
                }
                String comm = line.substring(line.indexOf('(') + 1, line.lastIndexOf(')'));
                if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
                    compiler += Math.max(nanos(stat), 0);
                } else {
                    long n = switches(task.resolve("status"));
                    if (n >= 0) {
                        switches.put(task.getFileName().toString(), n);
                    }
                }
            }
            return compiler;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** @return voluntary plus involuntary context switches of the thread whose status file this is; -1 if unreadable */
    private static long switches(Path status) {
        try {
            long n = 0;
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("voluntary_ctxt_switches:") || line.startsWith("nonvoluntary_ctxt_switches:")) {
                    n += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                }
            }
            return n;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * CPU used up to one moment.
     *
     * @param client this process's CPU nanoseconds, negative if unknown
     * @param broker the broker's CPU nanoseconds, negative if unknown
     * @param switches this process's context switches by thread id (its JIT compiler threads left
     *     out); {@code null} if unknown. By thread, because a thread that ends takes its count with
     *     it: a window counts what the threads alive at its end did in it (and misses what ended)
     */
    record Snapshot(long client, long broker, Map<String, Long> switches) {

        /**
         * @param since the snapshot at the start of the window
         * @param messages what moved in the window (messages consumed, calls completed)
         * @return microseconds of CPU per message, by {@link #CLIENT} and {@link #BROKER}, and context
         *     switches per message by {@link #SWITCHES}, each only if known
         */
        Map<String, Double> perMessage(Snapshot since, long messages) {
            Map<String, Double> out = new HashMap<>();
            if (messages > 0 && client >= 0 && since.client >= 0) {
                out.put(CLIENT, (client - since.client) / 1e3 / messages);
            }
            if (messages > 0 && broker >= 0 && since.broker >= 0) {
                out.put(BROKER, (broker - since.broker) / 1e3 / messages);
            }
            if (messages > 0 && switches != null && since.switches != null) {
                long n = 0;
                for (Map.Entry<String, Long> thread : switches.entrySet()) {
                    n += Math.max(0, thread.getValue() - since.switches.getOrDefault(thread.getKey(), 0L));
                }
                out.put(SWITCHES, n / (double) messages);
            }
            return out;
        }
    }

    /** @return utime + stime of the process whose stat file this is, in nanoseconds; -1 if unreadable */
    static long nanos(Path stat) {
        try {
            String line = Files.readString(stat);
            // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
            String[] f = line.substring(line.lastIndexOf(')') + 2).split(" ");
            // f[0] is field 3 (state), so utime (field 14) is f[11] and stime (field 15) is f[12].
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * NANOS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * @return the {@code beam.smp} that listens on the URL's port; the only one if the socket cannot
     *     be traced to a process and exactly one runs; else empty
     */
    static OptionalLong brokerPid(String amqpUrl) {
        List<Long> beams;
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            beams = all.filter(p -> p.info().command().map(c -> c.endsWith("beam.smp")).orElse(false))
                    .map(ProcessHandle::pid).toList();
        }
        OptionalLong inode = listeningInode(port(amqpUrl));
        if (inode.isPresent()) {
            String socket = "socket:[" + inode.getAsLong() + "]";
            for (long pid : beams) {
                if (holds(pid, socket)) {
                    return OptionalLong.of(pid);
                }
            }
        }
        return beams.size() == 1 ? OptionalLong.of(beams.get(0)) : OptionalLong.empty();
    }

    private static int port(String amqpUrl) {
        try {
            URI uri = URI.create(amqpUrl);
            if (uri.getPort() > 0) {
                return uri.getPort();
            }
            return "amqps".equalsIgnoreCase(uri.getScheme()) ? 5671 : 5672;
        } catch (IllegalArgumentException e) {
            return 5672;
        }
    }

    /** Finds the inode of the socket listening on {@code port} in the kernel's TCP tables. */
    private static OptionalLong listeningInode(int port) {
        String hexPort = ":" + String.format(Locale.ROOT, "%04X", port);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] f = line.trim().split("\\s+");
                    // local_address is f[1] (address:port in hex), st is f[3] (0A = LISTEN), inode is f[9].
                    if (f.length > 9 && f[1].endsWith(hexPort) && f[3].equals("0A")) {
                        return OptionalLong.of(Long.parseLong(f[9]));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // No such table (IPv6 disabled) or not Linux: try the next, else give up.
            }
        }
        return OptionalLong.empty();
    }

    private static boolean holds(long pid, String socket) {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.anyMatch(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().equals(socket);
                } catch (IOException | UnsupportedOperationException e) {
                    return false;
                }
            });
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
