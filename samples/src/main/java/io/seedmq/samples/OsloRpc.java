package io.seedmq.samples;

import io.seedmq.messaging.Connection;
import io.seedmq.messaging.oslo.Context;
import io.seedmq.messaging.oslo.OsloTopology;
import io.seedmq.messaging.rpc.RpcClient;
import io.seedmq.messaging.rpc.RpcCast;
import io.seedmq.messaging.rpc.RpcClientOptions;
import io.seedmq.messaging.rpc.RpcServer;
import io.seedmq.messaging.rpc.RpcServerOptions;
import io.seedmq.messaging.rpc.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * oslo.messaging's RPC, from the seed's {@code server.py} / {@code client.py}: a server on topic
 * {@code test} as {@code server-1} with the endpoints {@code add(x, y)}, {@code fib(n)} and
 * {@code test()}; a client that calls {@code add(x=1, y=2)}, casts {@code test} and calls
 * {@code fib(n=10)}. On RabbitMQ both sides speak oslo's wire format, so either can be the
 * Python seed.
 *
 * <p>Both sides are written against one Java interface, {@link Calculator}: the client is its proxy
 * ({@code RpcClient.proxy}), the server serves an implementation of it. The same calls by name
 * ({@code client.call(ctx, "add", Map.of("x", 1, "y", 2), Integer.class)}) reach the same server.
 */
public final class OsloRpc implements Sample {

    /** The seed's topic. */
    public static final String TOPIC = "test";
    /** The seed's server name. */
    public static final String SERVER = "server-1";

    /** The seed's service as Java sees it: each method an RPC method, its parameters the arguments by name. */
    public interface Calculator {
        /**
         * @param x a number
         * @param y another
         * @return their sum
         */
        int add(int x, int y);

        /**
         * @param n which Fibonacci number
         * @return it
         */
        long fib(int n);

        /** The seed's cast: no reply is awaited. */
        @RpcCast
        void test();
    }

    /** The seed's endpoint, printing as the seed does. */
    public static final class Endpoint implements Calculator {
        private final Consumer<String> out;

        /** @param out where the endpoint prints, as the seed's {@code print} */
        public Endpoint(Consumer<String> out) {
            this.out = out;
        }

        /**
         * @param n which Fibonacci number
         * @return it
         */
        @Override
        public long fib(int n) {
            out.accept(String.valueOf(n));
            return Rpc.fib(n);
        }

        @Override
        public void test() {
            out.accept("testing");
        }

        /**
         * @param x a number
         * @param y another
         * @return their sum
         */
        @Override
        public int add(int x, int y) {
            int result = x + y;
            out.accept("result is " + result);
            return result;
        }
    }

    @Override
    public String name() {
        return "oslo-rpc";
    }

    @Override
    public String description() {
        return "oslo.messaging RPC: a server of add, fib and test on topic 'test', and a client of it"
                + " (server.py / client.py); wire-compatible with the Python seed.";
    }

    @Override
    public List<String> roleNames() {
        return List.of("server", "client");
    }

    @Override
    public List<String> roles() {
        return List.of("oslo-rpc-server [--url URL] [--topic test] [--server server-1] [--rpc-ping-enabled]"
                        + " [oslo topology flags]   (or: oslo-rpc --role server)",
                "oslo-rpc-client [--url URL] [--topic test] [--ping] [oslo topology flags]   (or: oslo-rpc --role client)");
    }

    @Override
    public Object options() {
        return options;
    }

    /** The seed's topic and server name, as options. */
    static final class Options {
        @Option(names = "--topic", paramLabel = "TOPIC", defaultValue = TOPIC,
                description = "the topic (default: ${DEFAULT-VALUE})")
        String topic;

        @Option(names = "--server", paramLabel = "NAME", defaultValue = SERVER,
                description = "the server's name, for the server role (default: ${DEFAULT-VALUE})")
        String server;

        @Option(names = "--rpc-ping-enabled",
                description = "the server answers oslo's health probe, oslo_rpc_server_ping (oslo's rpc_ping_enabled)")
        boolean rpcPingEnabled;

        @Option(names = "--ping", description = "the client only pings the server (a readiness check) and prints the answer")
        boolean ping;

        @Mixin
        OsloTopologyFlags topology = new OsloTopologyFlags();
    }

    private final Options options = new Options();

    @Override
    public Check runInProcess(String url, Names names) throws Exception {
        String topic = names.of(TOPIC);
        // The check's own control exchange: the broker may hold another application's "openstack".
        String exchange = names.of(Target.DEFAULT_EXCHANGE);
        BlockingQueue<String> printed = new LinkedBlockingQueue<>();
        try (Connection conn = Connection.open(url)) {
            OsloTopology topology = options.topology.topology();
            RpcServer server = RpcServer.create(conn, Target.topic(topic).withServer(SERVER).withExchange(exchange),
                    Calculator.class,
                    new Endpoint(printed::add), RpcServerOptions.builder().topology(topology).build());
            server.start();
            try {
                RpcClient client = RpcClient.create(conn, Target.topic(topic).withExchange(exchange),
                        RpcClientOptions.builder().timeout(Duration.ofSeconds(10)).topology(topology).build());
                Calculator calc = client.proxy(Calculator.class);
                int sum = calc.add(1, 2);
                calc.test();
                // The same server, called by name: what the proxy sends.
                long fib = client.call(Context.empty(), "fib", Map.of("n", 10), Long.class);
                List<String> seen = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    String line = printed.poll(10, TimeUnit.SECONDS);
                    if (line != null) {
                        seen.add(line);
                    }
                }
                String summary = "add=" + sum + " fib(10)=" + fib + " server printed " + seen;
                boolean ok = sum == 3 && fib == 55 && seen.containsAll(List.of("result is 3", "testing", "10"));
                return ok ? Check.pass(summary) : Check.fail(summary);
            } finally {
                server.stop();
                if (names.throwAway()) {
                    server.queueNames().forEach(conn::deleteQueue);
                    conn.deleteExchange(exchange, false);
                }
            }
        }
    }

    @Override
    public int runRole(String url, String role, List<String> args) throws Exception {
        if (!args.isEmpty()) {
            throw new IllegalArgumentException("oslo-rpc takes no arguments, only options: " + args);
        }
        String topic = options.topic;
        OsloTopology topology = options.topology.topology();
        switch (role) {
            case "server" -> {
                Connection conn = Connection.open(url);
                // oslo's rpc_ping_enabled: answer oslo_rpc_server_ping, for health probes.
                RpcServer server = RpcServer.create(conn, Target.topic(topic).withServer(options.server),
                        Calculator.class, new Endpoint(System.out::println),
                        RpcServerOptions.builder().rpcPingEnabled(options.rpcPingEnabled).topology(topology).build());
                System.out.println("Start Server");
                return Foreground.runUntilCtrlC(conn, server, "Server listening on " + server.queueNames()
                        + ". To exit press CTRL+C");
            }
            case "client" -> {
                try (Connection conn = Connection.open(url)) {
                    RpcClient client = RpcClient.create(conn, Target.topic(topic),
                            RpcClientOptions.builder().timeout(Duration.ofSeconds(30)).topology(topology).build());
                    if (options.ping) {
                        System.out.println(client.ping());
                        return 0;
                    }
                    Calculator calc = client.proxy(Calculator.class);
                    System.out.println("result is " + calc.add(1, 2));
                    calc.test();
                    System.out.println("fib(10) = " + calc.fib(10));
                    return 0;
                }
            }
            default -> throw new IllegalArgumentException("no role " + role);
        }
    }
}
