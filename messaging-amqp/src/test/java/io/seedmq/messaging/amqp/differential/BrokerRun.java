package io.seedmq.messaging.amqp.differential;

import io.seedmq.messaging.AckMode;
import io.seedmq.messaging.Connection;
import io.seedmq.messaging.ConnectionOptions;
import io.seedmq.messaging.Exchange;
import io.seedmq.messaging.Message;
import io.seedmq.messaging.Publish;
import io.seedmq.messaging.Queue;
import io.seedmq.messaging.retry.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * One scenario played on one broker through seedmq's public API: it applies steps and reports
 * what each one did, and what the broker holds after it, as text that is equal on two brokers
 * exactly when they behaved the same. Names are reported as symbols ({@code Q0}, {@code X2}).
 *
 * <p>Not thread-safe; one per broker per scenario.
 */
final class BrokerRun implements AutoCloseable {
    private final Supplier<Connection> connect;
    private final Universe universe;
    private final Scenario scenario;
    private Connection main;
    private final Connection other;
    /** Messages got with manual acknowledgement on {@link #main} and not settled yet, in the order got. */
    private final List<Message> held = new ArrayList<>();
    /** The flags each exchange was last declared with, so implicit declarations (publish, bind) agree with them. */
    private final boolean[] autoDelete = new boolean[Universe.EXCHANGES];
    /** Queues and exchanges some step named, in order: only those are inspected. */
    private final TreeSet<Integer> queuesNamed = new TreeSet<>();
    private final TreeSet<Integer> exchangesNamed = new TreeSet<>();
    /** The queues last declared as quorum queues, by a declaration both brokers took. */
    private final Set<Integer> quorum = new HashSet<>();
    private int published;

    /**
     * @param options how to reach the broker; every connection of the run uses them
     * @param universe the run's names
     * @param scenario what the steps refer to
     */
    BrokerRun(ConnectionOptions options, Universe universe, Scenario scenario) {
        // A step is one attempt: a retried publish would be a second message, a retried declare a second outcome.
        ConnectionOptions once = options.toBuilder().retryPolicy(RetryPolicy.none()).build();
        this.connect = () -> Connection.open(once);
        this.universe = universe;
        this.scenario = scenario;
        this.main = connect.get();
        this.other = connect.get();
    }

    /** @return what the step did: {@code ok}, a value, or {@code !} and the exception's simple class name */
    String apply(Step step) {
        try {
            return universe.symbolic(run(step));
        } catch (RuntimeException e) {
            return "!" + e.getClass().getSimpleName();
        }
    }

    private String run(Step step) {
        if (step instanceof Step.DeclareQueue s) {
            queuesNamed.add(s.queue());
            QueueSpec spec = s.override() != null ? s.override() : scenario.queues().get(s.queue());
            Queue q = spec.toQueue(universe, s.queue());
            String declared = "ok, " + via(s.other()).declare(q).messageCount() + " ready";
            if (spec.quorum()) {
                quorum.add(s.queue());
            }
            return declared;
        } else if (step instanceof Step.DeleteQueue s) {
            if (quorum.contains(s.queue()) && (s.ifUnused() || s.ifEmpty())) {
                // RabbitMQ 3.10 closes the connection (540), which the AMQP transport recovers and
                // memory:// does not: compared in the in-memory broker's own tests instead.
                return "not compared: conditional delete of a quorum queue";
            }
            quorum.remove(s.queue());
            return "deleted, " + via(s.other()).deleteQueue(universe.queue(s.queue()), s.ifUnused(), s.ifEmpty()) + " held";
        } else if (step instanceof Step.PurgeQueue s) {
            return "purged " + via(s.other()).purge(universe.queue(s.queue()));
        } else if (step instanceof Step.CheckQueue s) {
            return via(s.other()).queueInfo(universe.queue(s.queue())).messageCount() + " ready";
        } else if (step instanceof Step.DeclareExchange s) {
            exchangesNamed.add(s.exchange());
            main.declare(universe.exchange(s.exchange(), s.autoDelete()));
            autoDelete[s.exchange()] = s.autoDelete();
            return "ok";
        } else if (step instanceof Step.DeleteExchange s) {
            main.deleteExchange(universe.exchange(s.exchange()), s.ifUnused());
            return "ok";
        } else if (step instanceof Step.Bind s) {
            exchangesNamed.add(s.exchange());
            main.bind(universe.queue(s.queue()), universe.binding(exchange(s.exchange()), s.key()));
            return "ok";
        } else if (step instanceof Step.Unbind s) {
            main.unbind(universe.queue(s.queue()), universe.binding(exchange(s.exchange()), s.key()));
            return "ok";
        } else if (step instanceof Step.Publish s) {
            return publish(s);
        } else if (step instanceof Step.Get s) {
            Optional<Message> m = via(s.other()).get(universe.queue(s.queue()),
                    s.manual() && !s.other() ? AckMode.MANUAL : AckMode.AUTO);
            if (m.isEmpty()) {
                return "empty";
            }
            if (s.manual() && !s.other()) {
                held.add(m.get());
            }
            return describe(m.get());
        } else if (step instanceof Step.Settle s) {
            if (held.isEmpty()) {
                return "nothing held";
            }
            Message m = held.remove(s.held() % held.size());
            switch (s.how()) {
                case ACK -> m.ack();
                case REJECT -> m.reject();
                case REQUEUE -> m.requeue();
                default -> throw new IllegalStateException(s.how().name());
            }
            return s.how().name().toLowerCase(java.util.Locale.ROOT) + " " + m.payload(String.class);
        } else if (step instanceof Step.Reconnect) {
            held.clear();
            main.close();
            main = connect.get();
            return "ok";
        }
        throw new IllegalArgumentException("unknown step " + step);
    }

    private String publish(Step.Publish s) {
        String payload = "m" + (++published);
        String key = universe.key(Universe.ROUTING_KEYS.get(s.key()));
        Publish p;
        if (s.exchange() == Universe.EXCHANGES) {
            p = Publish.toQueue(key);
        } else {
            exchangesNamed.add(s.exchange());
            p = Publish.to(exchange(s.exchange())).routingKey(key);
        }
        p = p.persistent(false).mandatory(s.mandatory()).headers(Universe.PUBLISH_HEADERS.get(s.headers()));
        if (s.priority() != null) {
            p = p.priority(s.priority());
        }
        if (s.expiration() != null) {
            p = p.expiration(Duration.ofMillis(s.expiration()));
        }
        main.producer().publish(payload, p);
        return "published " + payload;
    }

    /**
     * @param exchanges whether to check the exchanges too (only a few kinds of step can remove one)
     * @return what the broker holds now: the ready count (or the error) of each queue and whether
     *     each exchange exists, for those some step named
     */
    String observe(boolean exchanges) {
        StringBuilder s = new StringBuilder();
        for (int q : queuesNamed) {
            s.append("Q").append(q).append('=');
            try {
                s.append(main.queueInfo(universe.queue(q)).messageCount());
            } catch (RuntimeException e) {
                s.append('!').append(e.getClass().getSimpleName());
            }
            s.append(' ');
        }
        for (int x : exchanges ? exchangesNamed : Set.<Integer>of()) {
            s.append("X").append(x).append('=');
            try {
                main.checkExchange(universe.exchange(x));
                s.append("yes");
            } catch (RuntimeException e) {
                s.append('!').append(e.getClass().getSimpleName());
            }
            s.append(' ');
        }
        return s.toString().trim();
    }

    /** @return whether the step can remove an exchange: delete it, or remove its last binding (auto-delete) */
    static boolean mayRemoveExchanges(Step step) {
        return step instanceof Step.DeleteExchange || step instanceof Step.Unbind || step instanceof Step.DeleteQueue
                || step instanceof Step.Reconnect;
    }

    private Connection via(boolean useOther) {
        return useOther ? other : main;
    }

    private Exchange exchange(int index) {
        return universe.exchange(index, autoDelete[index]);
    }

    /**
     * A delivery as both brokers must agree on it: payload, redelivered flag, exchange and routing
     * key, the properties a broker may change (priority, expiration), a quorum queue's delivery
     * count, and the dead-letter history.
     * {@code x-death} times are left out (clocks differ), and so are the {@code x-last-death-*}
     * headers, which RabbitMQ added in 3.13: the local 3.10 does not set them.
     */
    private String describe(Message m) {
        StringBuilder s = new StringBuilder(m.payload(String.class));
        if (m.redelivered()) {
            s.append(" redelivered");
        }
        s.append(" from ").append(m.exchange().isEmpty() ? "default" : m.exchange())
                .append(" '").append(m.routingKey()).append("'");
        if (m.properties().priority() != null) {
            s.append(" priority=").append(m.properties().priority());
        }
        if (m.properties().expiration() != null) {
            s.append(" expiration=").append(m.properties().expiration().toMillis());
        }
        if (m.headers().containsKey("x-delivery-count")) {
            s.append(" delivery-count=").append(m.deliveryCount());
        }
        Object deaths = m.headers().get("x-death");
        if (deaths instanceof List<?> list) {
            s.append(" x-death=[");
            for (Object d : list) {
                if (d instanceof Map<?, ?> death) {
                    s.append(death.get("reason")).append('@').append(death.get("queue"))
                            .append(" count=").append(death.get("count"))
                            .append(" from ").append(death.get("exchange")).append(' ').append(death.get("routing-keys"))
                            .append(death.containsKey("original-expiration") ? " original-expiration="
                                    + death.get("original-expiration") : "")
                            .append("; ");
                }
            }
            s.append(']');
        }
        Object first = m.headers().get("x-first-death-reason");
        if (first != null) {
            s.append(" first-death=").append(first).append('@').append(m.headers().get("x-first-death-queue"))
                    .append(" from ").append(m.headers().get("x-first-death-exchange"));
        }
        return s.toString();
    }

    /** Closes both connections; what is left on the broker is the caller's to delete. */
    @Override
    public void close() {
        quietly(main::close);
        quietly(other::close);
    }

    private static void quietly(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            // Closing a connection the broker already dropped.
        }
    }
}
