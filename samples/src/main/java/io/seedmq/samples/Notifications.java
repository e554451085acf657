package io.seedmq.samples;

import io.seedmq.messaging.Connection;
import io.seedmq.messaging.notify.ListenerOptions;
import io.seedmq.messaging.notify.Notification;
import io.seedmq.messaging.notify.NotificationEndpoint;
import io.seedmq.messaging.notify.NotificationFilter;
import io.seedmq.messaging.notify.NotificationListener;
import io.seedmq.messaging.notify.NotificationResult;
import io.seedmq.messaging.notify.NotificationTarget;
import io.seedmq.messaging.notify.Notifier;
import io.seedmq.messaging.notify.NotifierOptions;
import io.seedmq.messaging.notify.Priority;
import io.seedmq.messaging.oslo.Context;
import io.seedmq.messaging.oslo.OsloTopology;
import io.seedmq.messaging.serialization.JsonSerializer;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The seeds' oslo notification pair: {@code send.py} (publisher {@code local} sends an info
 * {@code my_type} and an error {@code error_type}, payload {@code {"content": "Hello World"}}) and
 * a listener printing what it receives, optionally in a pool and behind a publisher filter.
 * Wire-compatible with oslo.messaging, so either side can be the Python seed.
 *
 * <p>In process it checks filters and pools: a listener filtering on {@code ^local.*} sees only
 * local's notifications, two listeners of one pool share them (each notification once), and a
 * listener of another pool gets them all.
 */
public final class Notifications implements Sample {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration QUIET = Duration.ofMillis(300);
    private static final Map<String, String> PAYLOAD = Map.of("content", "Hello World");

    @Override
    public String name() {
        return "notify";
    }

    @Override
    public String description() {
        return "oslo.messaging notifications: a notifier and listeners with a filter and pools (send.py and"
                + " a listener); wire-compatible with the Python seed.";
    }

    @Override
    public List<String> roleNames() {
        return List.of("send", "listener");
    }

    @Override
    public Object options() {
        return options;
    }

    /** The listener's options, and the oslo topology flags of both roles. */
    static final class Options {
        @Option(names = "--topic", paramLabel = "TOPIC", defaultValue = NotificationTarget.DEFAULT_TOPIC,
                description = "the topic to listen to (default: ${DEFAULT-VALUE})")
        String topic;

        @Option(names = "--pool", paramLabel = "POOL",
                description = "listen in this pool: its listeners share the notifications (default: none)")
        String pool;

        @Option(names = "--publisher-filter", paramLabel = "REGEX",
                description = "only notifications whose publisher id matches, as oslo's re.match (default: all)")
        String publisherFilter;

        @Mixin
        OsloTopologyFlags topology = new OsloTopologyFlags();
    }

    private final Options options = new Options();

    @Override
    public List<String> roles() {
        return List.of("notify-send [--url URL] [oslo topology flags]   (or: notify --role send)",
                "notify-listener [--url URL] [--topic notifications] [--pool listener] [--publisher-filter '^local.*']"
                        + " [oslo topology flags]   (or: notify --role listener ...)");
    }

    /**
     * The seed's send.py: info {@code my_type} and error {@code error_type} from {@code local}.
     *
     * @param connection the connection
     * @param options topics and exchange
     * @param out where to say what was sent
     */
    static void send(Connection connection, NotifierOptions options, PrintStream out) {
        Notifier notifier = Notifier.create(connection, "local", options);
        notifier.info(Context.empty(), "my_type", PAYLOAD);
        out.println(" [x] sent INFO my_type " + JsonSerializer.defaultMapper().valueToTree(PAYLOAD));
        notifier.error(Context.empty(), "error_type", PAYLOAD);
        out.println(" [x] sent ERROR error_type " + JsonSerializer.defaultMapper().valueToTree(PAYLOAD));
    }

    /**
     * @param n a notification
     * @return the line the listener prints for it
     */
    static String line(Notification n) {
        return n.priority() + " " + n.publisherId() + " " + n.eventType() + " " + n.payload();
    }

    @Override
    public Check runInProcess(String url, Names names) throws Exception {
        String exchange = names.of("openstack");
        NotificationTarget target = new NotificationTarget(names.of("notifications"), exchange);
        String pool = names.of("listener");
        String otherPool = names.of("audit");
        List<NotificationListener> listeners = new ArrayList<>();
        try (Connection connection = Connection.open(url)) {
            BlockingQueue<String> filtered = new LinkedBlockingQueue<>();
            BlockingQueue<String> shared = new LinkedBlockingQueue<>();
            BlockingQueue<String> other = new LinkedBlockingQueue<>();
            try {
                listeners.add(listen(connection, target, null, NotificationFilter.builder().publisherId("^local.*").build(), filtered));
                listeners.add(listen(connection, target, pool, NotificationFilter.acceptAll(), shared));
                listeners.add(listen(connection, target, pool, NotificationFilter.acceptAll(), shared));
                listeners.add(listen(connection, target, otherPool, NotificationFilter.acceptAll(), other));

                NotifierOptions options = NotifierOptions.builder().exchange(exchange).topics(target.topic()).build();
                Notifier.create(connection, "remote", options).info(Context.empty(), "my_type", PAYLOAD);
                send(connection, options, new PrintStream(PrintStream.nullOutputStream()));

                List<String> all = List.of("INFO remote my_type", "INFO local my_type", "ERROR local error_type");
                Set<String> viaFilter = take(filtered, 2);
                Set<String> viaPool = take(shared, 3);
                Set<String> viaOtherPool = take(other, 3);
                if (!viaFilter.equals(Set.copyOf(all.subList(1, 3)))) {
                    return Check.fail("the ^local.* listener received " + viaFilter);
                }
                if (!viaPool.equals(Set.copyOf(all)) || !viaOtherPool.equals(Set.copyOf(all))) {
                    return Check.fail("pool '" + pool + "' received " + viaPool + ", pool '" + otherPool + "' " + viaOtherPool);
                }
                return Check.pass("filter ^local.* kept 2 of 3; pool of 2 listeners shared 3 (once each); another pool got all 3");
            } finally {
                listeners.forEach(NotificationListener::stop);
                if (names.throwAway()) {
                    for (Priority p : Priority.values()) {
                        connection.deleteQueue(target.routingKey(p));
                    }
                    connection.deleteQueue(pool);
                    connection.deleteQueue(otherPool);
                    connection.deleteExchange(exchange, false);
                }
            }
        }
    }

    private static NotificationListener listen(Connection connection, NotificationTarget target, String pool,
                                               NotificationFilter filter, BlockingQueue<String> into) {
        NotificationListener listener = NotificationListener.create(connection, List.of(target),
                List.of(NotificationEndpoint.of(filter, n -> {
                    into.add(n.priority() + " " + n.publisherId() + " " + n.eventType());
                    return NotificationResult.HANDLED;
                })), ListenerOptions.builder().pool(pool).build());
        listener.start();
        return listener;
    }

    /** Takes the expected number of lines, then checks nothing more (a duplicate) comes within a quiet period. */
    private static Set<String> take(BlockingQueue<String> from, int count) throws InterruptedException {
        List<String> got = new ArrayList<>();
        while (got.size() < count) {
            String line = from.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (line == null) {
                break;
            }
            got.add(line);
        }
        String extra = from.poll(QUIET.toMillis(), TimeUnit.MILLISECONDS);
        if (extra != null) {
            got.add(extra);
        }
        Set<String> distinct = new HashSet<>(got);
        return distinct.size() == got.size() ? distinct : Set.of("duplicates: " + got);
    }

    @Override
    public int runRole(String url, String role, List<String> args) throws Exception {
        if (!args.isEmpty()) {
            throw new IllegalArgumentException("notify takes no arguments, only options: " + args);
        }
        return switch (role) {
            case "send" -> runSend(url, options.topology.topology());
            case "listener" -> runListener(url, options);
            default -> throw new IllegalArgumentException("no role " + role);
        };
    }

    /**
     * {@code notify-send}: sends the seed's two notifications on {@code notifications} through {@code openstack}.
     *
     * @param url the broker URL
     * @param topology how the exchange and queues are declared
     * @return the exit status
     */
    static int runSend(String url, OsloTopology topology) {
        try (Connection connection = Connection.open(url)) {
            send(connection, NotifierOptions.builder().topology(topology).build(), System.out);
        }
        return 0;
    }

    /**
     * {@code notify-listener}: prints one line per notification until Ctrl+C.
     *
     * @param url the broker URL
     * @param options {@code --topic T}, {@code --pool P}, {@code --publisher-filter REGEX}, the oslo topology flags
     * @return the exit status
     * @throws InterruptedException if interrupted
     */
    static int runListener(String url, Options options) throws InterruptedException {
        String topic = options.topic;
        String pool = options.pool;
        NotificationFilter.Builder filter = NotificationFilter.builder();
        if (options.publisherFilter != null) {
            filter.publisherId(options.publisherFilter);
        }
        Connection connection = Connection.open(url);
        NotificationListener listener = NotificationListener.create(connection, List.of(NotificationTarget.topic(topic)),
                List.of(NotificationEndpoint.of(filter.build(), n -> {
                    System.out.println(line(n));
                    return NotificationResult.HANDLED;
                })), ListenerOptions.builder().pool(pool).topology(options.topology.topology()).build());
        return Foreground.runUntilCtrlC(connection, listener, " [*] listening to " + topic
                + (pool == null ? "" : " in pool " + pool) + " on " + Main.masked(url) + ". To exit press CTRL+C");
    }
}
