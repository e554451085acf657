package io.seedmq.messaging.inmemory;

import io.seedmq.messaging.Exchange;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A declared exchange and its bindings. Bindings change under the broker's topology lock and are
 * published as an immutable array, so routing reads them without locking.
 */
final class ExchangeState {
    private static final BindingEntry[] NONE = new BindingEntry[0];

    final Exchange declaration;
    private volatile BindingEntry[] bindings = NONE;
    private boolean hadBinding;

    ExchangeState(Exchange declaration) {
        this.declaration = declaration;
    }

    String name() {
        return declaration.name();
    }

    /** @return the exchange named by {@code alternate-exchange}, or {@code null} */
    String alternateExchange() {
        Object ae = declaration.arguments().get("alternate-exchange");
        return ae == null ? null : ae.toString();
    }

    /** Adds each queue whose binding matches to {@code out}, once per queue. */
    void route(String routingKey, Map<String, Object> headers, List<QueueState> out) {
        BindingEntry[] snapshot = bindings;
        String[] words = null;
        for (BindingEntry b : snapshot) {
            boolean match;
            switch (declaration.type()) {
                case DIRECT -> match = b.key().equals(routingKey);
                case FANOUT -> match = true;
                case TOPIC -> {
                    if (words == null) {
                        words = TopicPattern.split(routingKey);
                    }
                    match = b.topic().matches(words);
                }
                case HEADERS -> match = HeadersMatch.matches(b.arguments(), headers);
                default -> throw new IllegalStateException("unknown exchange type " + declaration.type());
            }
            if (match && !out.contains(b.queue())) {
                out.add(b.queue());
            }
        }
    }

    /** Call under the topology lock. Duplicate bindings are ignored, as in AMQP. */
    void addBinding(QueueState queue, String key, Map<String, Object> args) {
        BindingEntry[] current = bindings;
        for (BindingEntry b : current) {
            if (b.sameAs(queue, key, args)) {
                return;
            }
        }
        BindingEntry[] next = Arrays.copyOf(current, current.length + 1);
        next[current.length] = BindingEntry.of(queue, key, args);
        bindings = next;
        hadBinding = true;
    }

    /** Call under the topology lock. @return whether the exchange should now be auto-deleted */
    boolean removeBinding(QueueState queue, String key, Map<String, Object> args) {
        return removeWhere(b -> b.sameAs(queue, key, args));
    }

    /** Call under the topology lock. @return whether the exchange should now be auto-deleted */
    boolean removeQueue(QueueState queue) {
        return removeWhere(b -> b.queue() == queue);
    }

    boolean hasBindings() {
        return bindings.length > 0;
    }

    boolean hasBinding(QueueState queue, String key, Map<String, Object> args) {
        for (BindingEntry b : bindings) {
            if (b.sameAs(queue, key, args)) {
                return true;
            }
        }
        return false;
    }

    private boolean removeWhere(Predicate<BindingEntry> doomed) {
        BindingEntry[] current = bindings;
        BindingEntry[] next = Arrays.stream(current).filter(doomed.negate()).toArray(BindingEntry[]::new);
        if (next.length == current.length) {
            return false;
        }
        bindings = next;
        return declaration.autoDelete() && hadBinding && next.length == 0;
    }
}
