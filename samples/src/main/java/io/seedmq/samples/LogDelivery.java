package io.seedmq.samples;

import io.seedmq.messaging.Connection;
import io.seedmq.messaging.Exchange;
import io.seedmq.messaging.Producer;
import io.seedmq.messaging.Publish;
import io.seedmq.samples.LogReceiver.LogLine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * The in-process run shared by the publish/subscribe, routing and topics samples: start one
 * {@link LogReceiver} per subscriber, each on its own connection as if it were its own process,
 * emit the lines, then compare what each subscriber received with what the exchange's routing
 * rule promises.
 *
 * <p>No sleeping to "let messages arrive": the last line emitted is one every subscriber is
 * bound to receive, and a queue is FIFO, so once each subscriber has it, everything it was ever
 * going to receive has arrived.
 */
public final class LogDelivery {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private LogDelivery() {
    }

    /**
     * What each subscriber received.
     *
     * @param sent the lines emitted, in order
     * @param bindings each subscriber's binding keys
     * @param queues each subscriber's server-named queue
     * @param received each subscriber's lines, in arrival order
     */
    public record Outcome(List<LogLine> sent, Map<String, List<String>> bindings, Map<String, String> queues,
                          Map<String, List<LogLine>> received) {

        /**
         * @param routes the exchange's rule: does a binding key select a routing key
         * @return PASS when every subscriber received exactly the lines one of its bindings
         *     selects, in the order sent, once each, on a queue of its own
         */
        public Check check(BiPredicate<String, String> routes) {
            List<String> got = new ArrayList<>();
            for (var subscriber : bindings.entrySet()) {
                List<LogLine> expected = expected(subscriber.getValue(), routes);
                List<LogLine> actual = received.get(subscriber.getKey());
                if (!expected.equals(actual)) {
                    return Check.fail(subscriber.getKey() + " " + subscriber.getValue() + " expected " + expected
                            + " but received " + actual);
                }
                got.add(subscriber.getKey() + " " + actual.size());
            }
            if (queues.values().stream().distinct().count() != queues.size() || queues.containsValue(null)) {
                return Check.fail("subscribers did not each get a server-named queue of their own: " + queues);
            }
            return Check.pass(String.join(", ", got) + " (of " + sent.size() + " sent)");
        }

        /** @param bindingKeys a subscriber's keys @param routes the rule @return the lines it should get */
        public List<LogLine> expected(List<String> bindingKeys, BiPredicate<String, String> routes) {
            return sent.stream().filter(l -> bindingKeys.stream().anyMatch(b -> routes.test(b, l.routingKey()))).toList();
        }
    }

    /**
     * The seeds' {@code emit_log*.py}: publish one line to the log exchange, declared on first use.
     *
     * @param producer the producer
     * @param exchange the log exchange
     * @param line routing key (severity, facility.severity, or "" for fanout) and text
     */
    public static void emit(Producer producer, Exchange exchange, LogLine line) {
        producer.publish(line.text(), Publish.to(exchange).routingKey(line.routingKey()));
    }

    /**
     * @param url the broker URL
     * @param exchange the log exchange
     * @param bindings subscriber name to binding keys
     * @param lines the lines to emit; the last must reach every subscriber
     * @param routes the exchange's routing rule
     * @param deleteExchange whether to delete the exchange afterwards (a throw-away name)
     * @return what each subscriber received
     * @throws InterruptedException if interrupted while waiting
     */
    public static Outcome run(String url, Exchange exchange, Map<String, List<String>> bindings, List<LogLine> lines,
                              BiPredicate<String, String> routes, boolean deleteExchange) throws InterruptedException {
        LogLine last = lines.get(lines.size() - 1);
        for (var subscriber : bindings.entrySet()) {
            if (subscriber.getValue().stream().noneMatch(b -> routes.test(b, last.routingKey()))) {
                throw new IllegalArgumentException("the last line must reach every subscriber; not " + subscriber.getKey());
            }
        }
        Map<String, Inbox<LogLine>> inboxes = new LinkedHashMap<>();
        List<Connection> connections = new ArrayList<>();
        List<LogReceiver> receivers = new ArrayList<>();
        try (Connection emitter = Connection.open(url)) {
            // The exchange must exist before the receivers bind to it; the emitter declares it, as the seeds' first run does.
            emitter.declare(exchange);
            for (var subscriber : bindings.entrySet()) {
                Inbox<LogLine> inbox = new Inbox<>();
                inboxes.put(subscriber.getKey(), inbox);
                Connection connection = Connection.open(url);
                connections.add(connection);
                LogReceiver receiver = new LogReceiver(connection, subscriber.getKey(), exchange, subscriber.getValue(), inbox::add);
                receivers.add(receiver);
                receiver.start();
            }
            Producer producer = emitter.producer();
            for (LogLine line : lines) {
                emit(producer, exchange, line);
            }
            Map<String, List<LogLine>> received = new LinkedHashMap<>();
            Map<String, String> queues = new LinkedHashMap<>();
            for (LogReceiver receiver : receivers) {
                Inbox<LogLine> inbox = inboxes.get(receiver.toString());
                inbox.awaitItem(last::equals, WAIT);
                received.put(receiver.toString(), inbox.snapshot());
                queues.put(receiver.toString(), receiver.queueName());
            }
            receivers.forEach(LogReceiver::stop);
            connections.forEach(Connection::close);
            if (deleteExchange) {
                emitter.deleteExchange(exchange.name(), false);
            }
            return new Outcome(lines, bindings, queues, received);
        } finally {
            receivers.forEach(LogReceiver::stop);
            connections.forEach(Connection::close);
        }
    }

    /**
     * The receive role of the three log samples: one receiver on the seeds' exchange, printing.
     *
     * @param url the broker URL
     * @param exchange the log exchange
     * @param bindingKeys the keys to bind
     * @throws InterruptedException if interrupted
     */
    static void receiveUntilCtrlC(String url, Exchange exchange, List<String> bindingKeys) throws InterruptedException {
        Connection conn = Connection.open(url);
        LogReceiver receiver = new LogReceiver(conn, "receiver", exchange, bindingKeys,
                line -> System.out.println(" [x] " + (line.routingKey().isEmpty() ? "" : line.routingKey() + ":")
                        + line.text()));
        Foreground.runUntilCtrlC(conn, receiver, " [*] Waiting for logs on '" + exchange.name() + "'"
                + (bindingKeys.equals(List.of("")) ? "" : " bound with " + bindingKeys) + ". To exit press CTRL+C");
    }
}
