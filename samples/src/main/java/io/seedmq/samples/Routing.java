package io.seedmq.samples;

import io.seedmq.messaging.Connection;
import io.seedmq.messaging.Exchange;
import io.seedmq.messaging.ExchangeType;
import io.seedmq.samples.LogReceiver.LogLine;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Routing: subscribe to a subset of the messages. From the seeds' {@code emit_log_direct.py} /
 * {@code receive_logs_direct.py}: a direct exchange {@code direct_logs}, the severity as routing
 * key, and receivers that bind their queue once per severity they want. A receiver bound to
 * {@code error} only writes errors to disk; one bound to {@code info warning error} prints all.
 */
public final class Routing implements Sample {

    /** The seeds' exchange name. */
    public static final String EXCHANGE = "direct_logs";

    /** A direct exchange delivers when the binding key equals the routing key. */
    static boolean routes(String bindingKey, String routingKey) {
        return bindingKey.equals(routingKey);
    }

    /**
     * @param name exchange name
     * @return the direct log exchange as the pika tutorial declares it (not durable)
     */
    public static Exchange directLogs(String name) {
        return Exchange.builder(name, ExchangeType.DIRECT).durable(false).build();
    }

    @Override
    public String name() {
        return "routing";
    }

    @Override
    public String description() {
        return "Routing: a direct exchange 'direct_logs', the severity as routing key"
                + " (emit_log_direct.py / receive_logs_direct.py).";
    }

    @Override
    public List<String> roleNames() {
        return List.of("emit", "receive");
    }

    @Override
    public List<String> roles() {
        return List.of("routing --role emit <severity> [message...]", "routing --role receive <severity>...");
    }

    @Override
    public Check runInProcess(String url, Names names) throws InterruptedException {
        Map<String, List<String>> subscribers = new LinkedHashMap<>();
        subscribers.put("errors-to-disk", List.of("error"));
        subscribers.put("print-all", List.of("info", "warning", "error"));
        List<LogLine> lines = List.of(
                new LogLine("info", "Cache warmed up"),
                new LogLine("warning", "Disk 85% full"),
                new LogLine("debug", "Nobody is bound to debug: dropped"),
                new LogLine("error", "Disk full"),
                new LogLine("info", "Retrying"),
                new LogLine("error", "Run. Run. Or it will explode."));
        return LogDelivery.run(url, directLogs(names.of(EXCHANGE)), subscribers, lines, Routing::routes,
                names.throwAway()).check(Routing::routes);
    }

    @Override
    public int runRole(String url, String role, List<String> args) throws Exception {
        switch (role) {
            case "emit" -> {
                String severity = args.isEmpty() ? "info" : args.get(0);
                String text = args.size() < 2 ? "Hello World!" : String.join(" ", args.subList(1, args.size()));
                try (Connection conn = Connection.open(url)) {
                    LogDelivery.emit(conn.producer(), directLogs(EXCHANGE), new LogLine(severity, text));
                    System.out.println(" [x] Sent '" + severity + "':'" + text + "'");
                }
                return 0;
            }
            case "receive" -> {
                if (args.isEmpty()) {
                    throw new IllegalArgumentException("receive needs the severities to bind, e.g. info warning error");
                }
                LogDelivery.receiveUntilCtrlC(url, directLogs(EXCHANGE), args);
                return 0;
            }
            default -> throw new IllegalArgumentException("no role " + role);
        }
    }
}
