package io.seedmq.samples;

import io.seedmq.messaging.Connection;
import io.seedmq.messaging.Exchange;
import io.seedmq.messaging.ExchangeType;
import io.seedmq.samples.LogReceiver.LogLine;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Publish/subscribe: every subscriber gets every message. From the seeds' {@code emit_log.py} /
 * {@code receive_logs.py}: a fanout exchange {@code logs}; each receiver declares a server-named
 * exclusive queue and binds it to the exchange; the emitter publishes with no routing key.
 * Lines emitted while nobody listens are dropped: there is no queue to hold them.
 */
public final class PublishSubscribe implements Sample {

    /** The seeds' exchange name. */
    public static final String EXCHANGE = "logs";

    /** A fanout exchange ignores routing keys: every bound queue gets a copy. */
    static boolean routes(String bindingKey, String routingKey) {
        return true;
    }

    /**
     * @param name exchange name
     * @return the fanout log exchange as the pika tutorial declares it
     *     ({@code exchange_declare(exchange='logs', exchange_type='fanout')}: not durable), so this
     *     sample and the tutorial's scripts share it on one broker
     */
    public static Exchange logs(String name) {
        return Exchange.builder(name, ExchangeType.FANOUT).durable(false).build();
    }

    @Override
    public String name() {
        return "pubsub";
    }

    @Override
    public String description() {
        return "Publish/subscribe: a fanout exchange 'logs', every receiver on a queue of its own"
                + " (emit_log.py / receive_logs.py).";
    }

    @Override
    public List<String> roleNames() {
        return List.of("emit", "receive");
    }

    @Override
    public List<String> roles() {
        return List.of("pubsub --role emit [message...]", "pubsub --role receive");
    }

    @Override
    public Check runInProcess(String url, Names names) throws InterruptedException {
        Map<String, List<String>> subscribers = new LinkedHashMap<>();
        subscribers.put("subscriber-1", List.of(""));
        subscribers.put("subscriber-2", List.of(""));
        subscribers.put("subscriber-3", List.of(""));
        List<LogLine> lines = List.of(
                new LogLine("", "info: Hello World!"),
                new LogLine("", "warning: disk 85% full"),
                new LogLine("", "error: Run. Run. Or it will explode."));
        return LogDelivery.run(url, logs(names.of(EXCHANGE)), subscribers, lines, PublishSubscribe::routes,
                names.throwAway()).check(PublishSubscribe::routes);
    }

    @Override
    public int runRole(String url, String role, List<String> args) throws Exception {
        switch (role) {
            case "emit" -> {
                String text = args.isEmpty() ? "info: Hello World!" : String.join(" ", args);
                try (Connection conn = Connection.open(url)) {
                    LogDelivery.emit(conn.producer(), logs(EXCHANGE), new LogLine("", text));
                    System.out.println(" [x] Sent '" + text + "'");
                }
                return 0;
            }
            case "receive" -> {
                LogDelivery.receiveUntilCtrlC(url, logs(EXCHANGE), List.of(""));
                return 0;
            }
            default -> throw new IllegalArgumentException("no role " + role);
        }
    }
}
