package io.seedmq.messaging.amqp.differential;

import io.seedmq.messaging.Binding;
import io.seedmq.messaging.Exchange;
import io.seedmq.messaging.ExchangeType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The small world one scenario plays in: four queues, one exchange of each type, and the keys and
 * headers that routes are made of. Steps name things by index ({@code Q0}, {@code X2}); the
 * universe turns indexes into the unique broker names of one run (the same on both brokers) and
 * broker names back into symbols, so outcomes compare and print the same on both sides.
 */
final class Universe {
    static final int QUEUES = 4;
    static final int EXCHANGES = 4;
    /** The exchange type of each exchange index: every type, once. */
    static final List<ExchangeType> TYPES = List.of(ExchangeType.DIRECT, ExchangeType.FANOUT, ExchangeType.TOPIC,
            ExchangeType.HEADERS);
    /** A dead-letter exchange index naming an exchange no step ever declares. */
    static final int MISSING_EXCHANGE = EXCHANGES;
    /** A dead-letter exchange index naming the default exchange. */
    static final int DEFAULT_EXCHANGE = -1;

    /** Routing keys of publishes and dead-letter routing keys; {@code @n} is the name of queue n. */
    static final List<String> ROUTING_KEYS = List.of("", "a", "b", "a.b", "b.a", "a.b.c", ".", "@0", "@1", "@2", "@3");
    /** The index in {@link #ROUTING_KEYS} of the first key that names a queue. */
    static final int FIRST_QUEUE_KEY = 7;
    /** Binding keys of direct, fanout and topic bindings: every topic wildcard shape, the empty key included. */
    static final List<String> BINDING_KEYS = List.of("#", "*", "", "a", "b", "a.b", "a.*", "*.b", "#.b", "a.#", "*.#",
            "#.*", "*.*", "@0");
    /** Arguments of headers bindings: x-match all and any, with one, two or no headers. */
    static final List<Map<String, Object>> HEADER_BINDINGS = List.of(
            Map.of("x-match", "all", "h1", "v1"),
            Map.of("x-match", "any", "h1", "v1", "h2", "v2"),
            Map.of("x-match", "all", "h1", "v1", "h2", "v2"),
            Map.of("x-match", "any"),
            Map.of());
    /** Headers of publishes. */
    static final List<Map<String, Object>> PUBLISH_HEADERS = List.of(
            Map.of(), Map.of("h1", "v1"), Map.of("h2", "v2"), Map.of("h1", "v1", "h2", "v2"), Map.of("h1", "v2"));

    private final String prefix;

    /** @param prefix unique per run, so runs never see each other's entities */
    Universe(String prefix) {
        this.prefix = prefix;
    }

    String queue(int index) {
        return prefix + "-q" + index;
    }

    String exchange(int index) {
        return index == DEFAULT_EXCHANGE ? "" : prefix + "-x" + index;
    }

    /** @return the exchange with the declaration flags a step gives it */
    Exchange exchange(int index, boolean autoDelete) {
        return Exchange.builder(exchange(index), TYPES.get(index)).durable(false).autoDelete(autoDelete).build();
    }

    /** @return a routing key of {@link #ROUTING_KEYS} or {@link #BINDING_KEYS} with queue references resolved */
    String key(String symbolic) {
        return symbolic.startsWith("@") ? queue(Integer.parseInt(symbolic.substring(1))) : symbolic;
    }

    /** @return the binding of queue-independent shape {@code keyIndex} to the exchange, by the exchange's type */
    Binding binding(Exchange exchange, int keyIndex) {
        if (exchange.type() == ExchangeType.HEADERS) {
            return new Binding(exchange, "", HEADER_BINDINGS.get(keyIndex % HEADER_BINDINGS.size()));
        }
        return Binding.to(exchange, key(BINDING_KEYS.get(keyIndex % BINDING_KEYS.size())));
    }

    /** @return the text with this run's names replaced by symbols ({@code Q0}, {@code X2}) */
    String symbolic(String text) {
        String out = text;
        for (int i = 0; i <= MISSING_EXCHANGE; i++) {
            out = out.replace(prefix + "-x" + i, "X" + i);
        }
        for (int i = 0; i < QUEUES; i++) {
            out = out.replace(prefix + "-q" + i, "Q" + i);
        }
        return out;
    }

    static String describeBinding(int exchangeIndex, int keyIndex) {
        if (TYPES.get(exchangeIndex) == ExchangeType.HEADERS) {
            return new LinkedHashMap<>(HEADER_BINDINGS.get(keyIndex % HEADER_BINDINGS.size())).toString();
        }
        return "'" + symbolicKey(BINDING_KEYS.get(keyIndex % BINDING_KEYS.size())) + "'";
    }

    static String symbolicKey(String key) {
        return key.startsWith("@") ? "Q" + key.substring(1) : key;
    }

    static String describeExchange(int index) {
        if (index == DEFAULT_EXCHANGE) {
            return "default exchange";
        }
        if (index == MISSING_EXCHANGE) {
            return "X" + index + " (never declared)";
        }
        return "X" + index + " (" + TYPES.get(index).amqpName() + ")";
    }
}
