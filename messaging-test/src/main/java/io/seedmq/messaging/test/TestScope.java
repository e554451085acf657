package io.seedmq.messaging.test;

import io.seedmq.messaging.Connection;
import io.seedmq.messaging.ConnectionOptions;
import io.seedmq.messaging.MessagingException;
import io.seedmq.messaging.spi.Transports;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What one test (or one test class) opened and declared, undone when it ends: its connections are
 * closed, then the queues and exchanges it named through {@link TestNames}, and those declared
 * through its connections under a suffix of the class's tests, are deleted. A scope lives in the
 * JUnit store of its test or class, which closes it after the last {@code @AfterEach} (or
 * {@code @AfterAll}).
 */
@SuppressWarnings("deprecation") // CloseableResource too, for JUnit before 5.13 (AutoCloseable is enough after)
final class TestScope implements ExtensionContext.Store.CloseableResource, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(TestScope.class.getName());

    private final ConnectionOptions options;
    /** Every suffix handed out in the test class, shared by its scopes. */
    private final Set<String> classSuffixes;
    private final List<Connection> connections = new ArrayList<>();
    private final Set<String> handedOut = new LinkedHashSet<>();
    private final Set<String> queues = new LinkedHashSet<>();
    private final Set<String> exchanges = new LinkedHashSet<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private TestNames names;

    /**
     * @param options the broker's options, for the clean-up connection
     * @param classSuffixes the class's suffixes, to which this scope adds its own
     */
    TestScope(ConnectionOptions options, Set<String> classSuffixes) {
        this.options = options;
        this.classSuffixes = classSuffixes;
    }

    /** @return this scope's names, made on first use with a fresh suffix */
    synchronized TestNames names() {
        if (names == null) {
            String suffix = String.format("%08x", ThreadLocalRandom.current().nextInt());
            classSuffixes.add(suffix);
            names = new TestNames(suffix, this);
        }
        return names;
    }

    /**
     * @param connectionOptions the options to open with
     * @return a connection whose declarations this scope records, closed with the scope
     */
    Connection open(ConnectionOptions connectionOptions) {
        Connection connection = Transports.open(connectionOptions, transport -> new TrackingTransport(transport, this));
        synchronized (this) {
            if (closed.get()) {
                connection.close();
                throw new IllegalStateException("this test's connections were already closed");
            }
            connections.add(connection);
        }
        return connection;
    }

    synchronized void handedOut(String name) {
        handedOut.add(name);
    }

    synchronized void declaredQueue(String name) {
        queues.add(name);
    }

    synchronized void declaredExchange(String name) {
        exchanges.add(name);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<Connection> open;
        Set<String> deleteQueues = new LinkedHashSet<>();
        Set<String> deleteExchanges = new LinkedHashSet<>();
        synchronized (this) {
            open = new ArrayList<>(connections);
            deleteQueues.addAll(handedOut);
            deleteExchanges.addAll(handedOut);
            queues.stream().filter(this::carriesSuffix).forEach(deleteQueues::add);
            exchanges.stream().filter(this::carriesSuffix).forEach(deleteExchanges::add);
        }
        for (Connection c : open) {
            try {
                c.close();
            } catch (RuntimeException e) {
                LOG.log(Level.DEBUG, "closing a test connection failed", e);
            }
        }
        if (deleteQueues.isEmpty() && deleteExchanges.isEmpty()) {
            return;
        }
        try (Connection admin = Connection.open(options.toBuilder().connectionName("seedmq-test-cleanup").build())) {
            for (String queue : deleteQueues) {
                delete(() -> admin.deleteQueue(queue), "queue " + queue);
            }
            for (String exchange : deleteExchanges) {
                delete(() -> admin.deleteExchange(exchange, false), "exchange " + exchange);
            }
        } catch (MessagingException e) {
            LOG.log(Level.WARNING, "could not clean up after a test on " + options.redactedUrl() + ": " + e);
        }
    }

    private boolean carriesSuffix(String name) {
        synchronized (classSuffixes) {
            return classSuffixes.stream().anyMatch(name::contains);
        }
    }

    private static void delete(Runnable deletion, String what) {
        try {
            deletion.run();
        } catch (MessagingException e) {
            LOG.log(Level.DEBUG, "deleting " + what + " after a test failed: " + e);
        }
    }
}
