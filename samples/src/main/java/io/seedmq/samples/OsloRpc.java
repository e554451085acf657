package io.seedmq.samples;

import io.seedmq.messaging.Connection;
import io.seedmq.messaging.oslo.Context;
import io.seedmq.messaging.rpc.RpcClient;
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

/**
 * oslo.messaging's RPC, from the seed's {@code server.py} / {@code client.py}: a server on topic
 * {@code test} as {@code server-1} with the endpoints {@code add(x, y)}, {@code fib(n)} and
 * {@code test()}; a client that calls {@code add(x=1, y=2)}, casts {@code test} and calls
 * {@code fib(n=10)}. On RabbitMQ both sides speak oslo's wire format, so either can be the
 * Python seed.
 */
public final class OsloRpc implements Sample {

    /** The seed's topic. */
    public static final String TOPIC = "test";
    /** The seed's server name. */
    public static final String SERVER = "server-1";

    /** The seed's endpoint; public methods are the RPC methods. */
    public static final class Endpoint {
        private final Consumer<String> out;

        /** @param out where the endpoint prints, as the seed's {@code print} */
        public Endpoint(Consumer<String> out) {
            this.out = out;
        }

        /**
         * @param n which Fibonacci number
         * @return it
         */
        public long fib(int n) {
            out.accept(String.valueOf(n));
            return Rpc.fib(n);
        }

        /** The seed's cast target. */
        public void test() {
            out.accept("testing");
        }

        /**
         * @param x a number
         * @param y another
         * @return their sum
         */
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
    public List<String> roles() {
        return List.of("oslo-rpc-server [--url URL] [--topic test] [--server server-1] [--rpc-ping-enabled]",
                "oslo-rpc-client [--url URL] [--topic test] [--ping]");
    }

    @Override
    public Check runInProcess(String url, Names names) throws Exception {
        String topic = names.of(TOPIC);
        BlockingQueue<String> printed = new LinkedBlockingQueue<>();
        try (Connection conn = Connection.open(url)) {
            RpcServer server = RpcServer.create(conn, Target.topic(topic).withServer(SERVER),
                    List.of(new Endpoint(printed::add)));
            server.start();
            try {
                RpcClient client = RpcClient.create(conn, Target.topic(topic),
                        RpcClientOptions.builder().timeout(Duration.ofSeconds(10)).build());
                Context ctx = Context.empty();
                int sum = client.call(ctx, "add", Map.of("x", 1, "y", 2), Integer.class);
                client.cast(ctx, "test");
                long fib = client.call(ctx, "fib", Map.of("n", 10), Long.class);
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
                }
            }
        }
    }

    @Override
    public int runRole(String url, String role, List<String> args) throws Exception {
        String topic = option(args, "--topic", TOPIC);
        switch (role) {
            case "server" -> {
                String serverName = option(args, "--server", SERVER);
                Connection conn = Connection.open(url);
                // oslo's rpc_ping_enabled: answer oslo_rpc_server_ping, for health probes.
                RpcServer server = RpcServer.create(conn, Target.topic(topic).withServer(serverName),
                        List.of(new Endpoint(System.out::println)),
                        RpcServerOptions.builder().rpcPingEnabled(args.contains("--rpc-ping-enabled")).build());
                System.out.println("Start Server");
                return Foreground.runUntilCtrlC(conn, server, "Server listening on " + server.queueNames()
                        + ". To exit press CTRL+C");
            }
            case "client" -> {
                try (Connection conn = Connection.open(url)) {
                    RpcClient client = RpcClient.create(conn, Target.topic(topic),
                            RpcClientOptions.builder().timeout(Duration.ofSeconds(30)).build());
                    if (args.contains("--ping")) {
                        System.out.println(client.ping());
                        return 0;
                    }
                    Context ctx = Context.empty();
                    System.out.println("result is " + client.call(ctx, "add", Map.of("x", 1, "y", 2), Integer.class));
                    client.cast(ctx, "test");
                    System.out.println("fib(10) = " + client.call(ctx, "fib", Map.of("n", 10), Long.class));
                    return 0;
                }
            }
            default -> {
                return Main.unknownRole(this, role);
            }
        }
    }

    /**
     * @param args the role's arguments
     * @param name an option such as {@code --topic}
     * @param fallback its default
     * @return the option's value ({@code --name value} or {@code --name=value}), or the default
     */
    static String option(List<String> args, String name, String fallback) {
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals(name) && i + 1 < args.size()) {
                return args.get(i + 1);
            }
            if (args.get(i).startsWith(name + "=")) {
                return args.get(i).substring(name.length() + 1);
            }
        }
        return fallback;
    }
}
