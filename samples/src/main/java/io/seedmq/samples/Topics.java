package io.seedmq.samples;

import io.seedmq.messaging.Connection;
import io.seedmq.messaging.Exchange;
import io.seedmq.messaging.ExchangeType;
import io.seedmq.samples.LogReceiver.LogLine;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Topics: subscribe by pattern. From the seeds' {@code emit_log_topic.py} /
 * {@code receive_logs_topic.py}: a topic exchange {@code topic_logs}, routing keys of
 * dot-separated words ({@code <facility>.<severity>}), and binding keys where {@code *} stands
 * for exactly one word and {@code #} for zero or more: {@code kern.*} gets everything from the
 * kernel, {@code *.critical} every critical line, {@code #} everything. A line matching two
 * bindings of one queue is still delivered to it once.
 */
public final class Topics implements Sample {

    /** The seeds' exchange name. */
    public static final String EXCHANGE = "topic_logs";

    /**
     * The topic rule, restated here so the sample can check the broker's work.
     *
     * @param bindingKey a pattern such as {@code kern.*}, {@code *.critical}, {@code #}
     * @param routingKey a key such as {@code kern.critical}
     * @return whether the pattern selects the key
     */
    static boolean routes(String bindingKey, String routingKey) {
        return matches(bindingKey.split("\\.", -1), 0, routingKey.split("\\.", -1), 0);
    }

    private static boolean matches(String[] pattern, int p, String[] words, int w) {
        if (p == pattern.length) {
            return w == words.length;
        }
        if (pattern[p].equals("#")) {
            for (int skip = w; skip <= words.length; skip++) {
                if (matches(pattern, p + 1, words, skip)) {
                    return true;
                }
            }
            return false;
        }
        return w < words.length
                && (pattern[p].equals("*") || pattern[p].equals(words[w]))
                && matches(pattern, p + 1, words, w + 1);
    }

    /**
     * @param name exchange name
     * @return the topic log exchange as the pika tutorial declares it (not durable)
     */
    public static Exchange topicLogs(String name) {
        return Exchange.builder(name, ExchangeType.TOPIC).durable(false).build();
    }

    @Override
    public String name() {
        return "topics";
    }

    @Override
    public String description() {
        return "Topics: a topic exchange 'topic_logs', binding keys with * and #"
                + " (emit_log_topic.py / receive_logs_topic.py).";
    }

    @Override
    public List<String> roleNames() {
        return List.of("emit", "receive");
    }

    @Override
    public List<String> roles() {
        return List.of("topics --role emit <facility.severity> [message...]", "topics --role receive <binding key>...");
    }

    @Override
    public Check runInProcess(String url, Names names) throws InterruptedException {
        Map<String, List<String>> subscribers = new LinkedHashMap<>();
        subscribers.put("critical", List.of("*.critical"));
        subscribers.put("kernel", List.of("kern.*"));
        subscribers.put("kernel-or-critical", List.of("kern.*", "*.critical"));
        subscribers.put("everything", List.of("#"));
        List<LogLine> lines = List.of(
                new LogLine("kern.info", "Kernel booted"),
                new LogLine("cron.critical", "Cron job failed"),
                new LogLine("auth.warning", "Password about to expire"),
                new LogLine("kern.disk.full", "Three words: kern.* does not match, # does"),
                new LogLine("critical", "One word: *.critical does not match"),
                new LogLine("kern.critical", "A critical kernel error"));
        return LogDelivery.run(url, topicLogs(names.of(EXCHANGE)), subscribers, lines, Topics::routes,
                names.throwAway()).check(Topics::routes);
    }

    @Override
    public int runRole(String url, String role, List<String> args) throws Exception {
        switch (role) {
            case "emit" -> {
                String key = args.isEmpty() ? "anonymous.info" : args.get(0);
                String text = args.size() < 2 ? "Hello World!" : String.join(" ", args.subList(1, args.size()));
                try (Connection conn = Connection.open(url)) {
                    LogDelivery.emit(conn.producer(), topicLogs(EXCHANGE), new LogLine(key, text));
                    System.out.println(" [x] Sent '" + key + "':'" + text + "'");
                }
                return 0;
            }
            case "receive" -> {
                if (args.isEmpty()) {
                    throw new IllegalArgumentException("receive needs the binding keys, e.g. \"kern.*\" \"*.critical\" \"#\"");
                }
                LogDelivery.receiveUntilCtrlC(url, topicLogs(EXCHANGE), args);
                return 0;
            }
            default -> throw new IllegalArgumentException("no role " + role);
        }
    }
}
