package io.seedmq.messaging.inmemory;

import io.seedmq.messaging.Exchange;
import io.seedmq.messaging.ExchangeType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A declared exchange and its bindings. Bindings change under the broker's topology lock and are
 * published as an immutable array, so routing reads them without locking.
 *
 * <p>A direct or fanout exchange also publishes, with each change of its bindings, the answer to
 * every route it can be asked: the queues of each binding key (direct), or of every binding
 * (fanout). Routing a message there is one map lookup returning a shared array, with no scan and
 * no allocation; the table is rebuilt whenever a binding is added or removed, so it cannot go stale.
 */
final class ExchangeState {
    private static final BindingEntry[] NONE = new BindingEntry[0];
    /** The route of a message no binding matches. Shared: callers never write to a route. */
    static final QueueState[] NO_QUEUES = new QueueState[0];

    final Exchange declaration;
    private volatile BindingEntry[] bindings = NONE;
    /** Direct exchanges: binding key → the queues bound with it, each once, in binding order. */
    private volatile Map<String, QueueState[]> byKey = Map.of();
    /** Fanout exchanges: every bound queue, each once, in binding order. */
    private volatile QueueState[] everyQueue = NO_QUEUES;
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

    /**
     * @return each queue whose binding matches, once, in binding order; never {@code null}, and
     *     possibly shared: the caller must not write to it
     */
    QueueState[] route(String routingKey, Map<String, Object> headers) {
        switch (declaration.type()) {
            case DIRECT -> {
                QueueState[] queues = byKey.get(routingKey);
                return queues == null ? NO_QUEUES : queues;
            }
            case FANOUT -> {
                return everyQueue;
            }
            default -> {
                List<QueueState> out = new ArrayList<>(4);
                scan(routingKey, headers, out);
                return out.isEmpty() ? NO_QUEUES : out.toArray(NO_QUEUES);
            }
        }
    }

    /** Topic and headers exchanges: adds each queue whose binding matches to {@code out}, once per queue. */
    private void scan(String routingKey, Map<String, Object> headers, List<QueueState> out) {
        BindingEntry[] snapshot = bindings;
        String[] words = null;
        for (BindingEntry b : snapshot) {
            boolean match;
            switch (declaration.type()) {
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
        publish(next);
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
        publish(next);
        return declaration.autoDelete() && hadBinding && next.length == 0;
    }

    /** Call under the topology lock: publishes new bindings and, for direct and fanout, their routes. */
    private void publish(BindingEntry[] next) {
        if (declaration.type() == ExchangeType.DIRECT) {
            Map<String, List<QueueState>> grouped = new HashMap<>();
            for (BindingEntry b : next) {
                List<QueueState> queues = grouped.computeIfAbsent(b.key(), k -> new ArrayList<>(1));
                if (!queues.contains(b.queue())) {
                    queues.add(b.queue());
                }
            }
            Map<String, QueueState[]> table = new HashMap<>();
            grouped.forEach((key, queues) -> table.put(key, queues.toArray(NO_QUEUES)));
            byKey = table;
        } else if (declaration.type() == ExchangeType.FANOUT) {
            List<QueueState> all = new ArrayList<>();
            for (BindingEntry b : next) {
                if (!all.contains(b.queue())) {
                    all.add(b.queue());
                }
            }
            everyQueue = all.toArray(NO_QUEUES);
        }
        bindings = next;
    }
}
