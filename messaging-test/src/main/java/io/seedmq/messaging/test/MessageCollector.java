package io.seedmq.messaging.test;

import io.seedmq.messaging.AckMode;
import io.seedmq.messaging.Binding;
import io.seedmq.messaging.Connection;
import io.seedmq.messaging.Consumer;
import io.seedmq.messaging.ConsumerOptions;
import io.seedmq.messaging.Message;
import io.seedmq.messaging.Queue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Collects what arrives on a queue, or on bindings, so a test asserts on messages without sleeping:
 * it waits for {@code n} messages, or for one that matches, with a deadline, and a wait that runs
 * out fails with the list of what did arrive.
 *
 * <pre>{@code
 * try (MessageCollector events = MessageCollector.bind(connection, Binding.to(orders, "order.*"))) {
 *     service.place(new Order("o-1"));
 *     Message placed = events.awaitMessage(m -> m.routingKey().equals("order.placed"), Duration.ofSeconds(5));
 *     assertEquals("o-1", placed.payload(Order.class).id());
 * }
 * }</pre>
 *
 * <p>It consumes with automatic acknowledgement: what it collects is taken off the queue. Bodies of
 * a content type the connection's serializers do not know are refused as poison, as by any consumer
 * (register a serializer on {@code connection.serializers()} to collect them). It starts
 * consuming before its factory returns, so what is published afterwards is collected. Closing it
 * stops consuming. Thread-safe.
 */
public final class MessageCollector implements AutoCloseable {

    private final Arrivals<Message> arrivals = new Arrivals<>("messages", MessageCollector::describe);
    private final Consumer consumer;
    private final String queue;

    private MessageCollector(Connection connection, Queue queue, boolean declare) {
        this.consumer = connection.consumer(ConsumerOptions.builder().queue(queue).declare(declare)
                .ackMode(AckMode.AUTO).build(), arrivals::add);
        consumer.start();
        this.queue = consumer.queueNames().get(0);
    }

    /**
     * Collects from a queue that exists (declared by the code under test, or by the test).
     *
     * @param connection the connection to consume on; the collector does not own it
     * @param queue the queue's name
     * @return a collector, consuming
     * @throws io.seedmq.messaging.EntityNotFoundException when the queue does not exist
     */
    public static MessageCollector on(Connection connection, String queue) {
        // Checked, not declared: the queue is its owner's, whose properties the test need not repeat.
        connection.queueInfo(queue);
        return new MessageCollector(connection, Queue.named(queue), false);
    }

    /**
     * Declares a queue (with its bindings) and collects from it.
     *
     * @param connection the connection to consume on; the collector does not own it
     * @param queue the queue
     * @return a collector, consuming
     */
    public static MessageCollector on(Connection connection, Queue queue) {
        return new MessageCollector(connection, queue, true);
    }

    /**
     * Collects what the bindings route, on a server-named exclusive queue of the collector's own,
     * deleted when the collector's connection closes. Each binding's exchange is declared first, as
     * the binding states it.
     *
     * @param connection the connection to consume on; the collector does not own it
     * @param bindings what to collect
     * @return a collector, consuming
     */
    public static MessageCollector bind(Connection connection, Binding... bindings) {
        if (bindings.length == 0) {
            throw new IllegalArgumentException("bind to at least one exchange");
        }
        Queue queue = Queue.serverNamed();
        for (Binding b : bindings) {
            queue = queue.bind(b);
        }
        return new MessageCollector(connection, queue, true);
    }

    /** @return the queue collected from (the broker's name for a server-named one) */
    public String queue() {
        return queue;
    }

    /** @return what arrived so far, in order; a snapshot */
    public List<Message> messages() {
        return arrivals.snapshot();
    }

    /**
     * @param type the payload type
     * @param <T> the payload type
     * @return the payloads of what arrived so far, decoded, in order
     */
    public <T> List<T> payloads(Class<T> type) {
        return arrivals.snapshot().stream().map(m -> m.payload(type)).toList();
    }

    /**
     * Waits until at least {@code count} messages arrived.
     *
     * @param count how many
     * @param timeout how long at most
     * @return what arrived, at least {@code count}, in order
     * @throws AssertionError listing what arrived, when fewer came in time
     */
    public List<Message> awaitMessages(int count, Duration timeout) {
        return withQueue(() -> arrivals.awaitCount(count, timeout));
    }

    /**
     * Waits for a message that matches (one that arrived before counts too).
     *
     * @param matches which one
     * @param timeout how long at most
     * @return the first that matches, in arrival order
     * @throws AssertionError listing what arrived, when none matched in time
     */
    public Message awaitMessage(Predicate<? super Message> matches, Duration timeout) {
        return withQueue(() -> arrivals.awaitMatch(matches, "the predicate", timeout));
    }

    /**
     * Waits for a message whose payload, decoded into {@code type}, equals {@code expected}.
     *
     * @param type the payload type
     * @param expected the payload
     * @param timeout how long at most
     * @param <T> the payload type
     * @return the first such message
     * @throws AssertionError listing what arrived, when none matched in time
     */
    public <T> Message awaitPayload(Class<T> type, T expected, Duration timeout) {
        return withQueue(() -> arrivals.awaitMatch(m -> {
            try {
                return Objects.equals(expected, m.payload(type));
            } catch (RuntimeException notThatType) {
                return false;
            }
        }, "payload " + expected, timeout));
    }

    /** Forgets what arrived so far; later waits count from here. */
    public void clear() {
        arrivals.clear();
    }

    /** Stops consuming; what arrived stays readable. */
    @Override
    public void close() {
        consumer.stop(Duration.ofSeconds(5));
    }

    private <R> R withQueue(java.util.function.Supplier<R> wait) {
        try {
            return wait.get();
        } catch (AssertionError e) {
            AssertionError named = new AssertionError("on queue '" + queue + "': " + e.getMessage());
            named.setStackTrace(e.getStackTrace());
            throw named;
        }
    }

    /** One line per message in a failure: where it came from, its type and the start of its body. */
    static String describe(Message m) {
        String type = m.properties().contentType();
        byte[] body = m.body();
        String shown;
        if (type == null || type.startsWith("text/") || type.contains("json")) {
            String text = new String(body, StandardCharsets.UTF_8);
            shown = "'" + (text.length() > 200 ? text.substring(0, 200) + "..." : text) + "'";
        } else {
            shown = body.length + " bytes";
        }
        return "exchange '" + m.exchange() + "' key '" + m.routingKey() + "'"
                + (type == null ? "" : " " + type) + " " + shown;
    }
}
