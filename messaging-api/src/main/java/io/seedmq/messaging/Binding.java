package io.seedmq.messaging;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A binding of a queue to an exchange: the routing key (direct and topic exchanges) or the
 * header arguments (headers exchanges) that select which messages the queue receives. Part of a
 * {@link Queue}'s declaration; declaring the queue declares the exchange and the binding too.
 *
 * <pre>{@code
 * Binding.to(Exchange.topic("topic_logs"), "kern.*")
 * Binding.headers(Exchange.headers("h"), Map.of("format", "pdf", "type", "report"), true) // x-match all
 * }</pre>
 *
 * @param exchange the exchange bound to (never the default exchange, which binds implicitly)
 * @param routingKey the binding key ("" for fanout and headers exchanges)
 * @param arguments binding arguments ({@code x-match} and header values for headers exchanges)
 */
public record Binding(Exchange exchange, String routingKey, Map<String, Object> arguments) {

    /** Validates and copies the arguments. */
    public Binding {
        Objects.requireNonNull(exchange, "exchange");
        Objects.requireNonNull(routingKey, "routingKey");
        if (exchange.isDefault()) {
            throw new IllegalArgumentException("queues cannot be bound to the default exchange: it routes by queue name already");
        }
        arguments = Map.copyOf(arguments == null ? Map.of() : arguments);
    }

    /**
     * @param exchange the exchange
     * @param routingKey the binding key
     * @return a binding with that key and no arguments
     */
    public static Binding to(Exchange exchange, String routingKey) {
        return new Binding(exchange, routingKey, Map.of());
    }

    /**
     * @param exchange a fanout exchange (or any exchange, bound with an empty key)
     * @return a binding with an empty key
     */
    public static Binding to(Exchange exchange) {
        return new Binding(exchange, "", Map.of());
    }

    /**
     * @param exchange a headers exchange
     * @param headers the header values to match
     * @param matchAll {@code true} for {@code x-match=all}, {@code false} for {@code x-match=any}
     * @return a headers binding
     */
    public static Binding headers(Exchange exchange, Map<String, ?> headers, boolean matchAll) {
        Map<String, Object> args = new LinkedHashMap<>(headers);
        args.put("x-match", matchAll ? "all" : "any");
        return new Binding(exchange, "", args);
    }
}
