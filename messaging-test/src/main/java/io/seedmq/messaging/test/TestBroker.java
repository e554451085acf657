package io.seedmq.messaging.test;

import io.seedmq.messaging.Connection;
import io.seedmq.messaging.ConnectionOptions;
import java.util.Objects;

/**
 * The broker a {@link SeedmqTest} class runs on: which kind, where it came from, its options, and
 * more connections to it. One per test class (shared by its {@code @Nested} classes). Thread-safe.
 */
public final class TestBroker {

    /** Where the broker came from. */
    public enum Source {
        /** The embedded broker: a {@code memory://<name>} broker of the class's own, deleted after it. */
        MEMORY,
        /** The {@code SEEDMQ_AMQP_URL} environment variable. */
        ENVIRONMENT,
        /** A Testcontainers {@code RabbitMQContainer}, started once per run. */
        TESTCONTAINERS,
        /** The local RabbitMQ at {@code amqp://guest:guest@127.0.0.1:5672/}. */
        LOCAL
    }

    private final BrokerKind kind;
    private final Source source;
    private final String url;
    private final ConnectionOptions options;
    private final TestScope classScope;

    TestBroker(BrokerKind kind, Source source, String url, ConnectionOptions options, TestScope classScope) {
        this.kind = kind;
        this.source = source;
        this.url = url;
        this.options = options;
        this.classScope = classScope;
    }

    /** @return {@link BrokerKind#MEMORY} or {@link BrokerKind#RABBITMQ}, never {@link BrokerKind#DEFAULT} */
    public BrokerKind kind() {
        return kind;
    }

    /** @return where the broker came from */
    public Source source() {
        return source;
    }

    /**
     * @return the broker's options, with timeouts suited to tests on RabbitMQ (5 s to connect and for
     *     each operation, recovery every 500 ms); derive variants with {@link ConnectionOptions#toBuilder()}
     */
    public ConnectionOptions options() {
        return options;
    }

    /**
     * @return the broker's URL, credentials included, for a process the test starts (never print it:
     *     {@link ConnectionOptions#redactedUrl()} is the printable form)
     */
    public String url() {
        return url;
    }

    /**
     * Opens one more connection with the broker's options; it is closed after the class, and what it
     * declares under a {@link TestNames} suffix is deleted then.
     *
     * @return an open connection
     */
    public Connection connect() {
        return classScope.open(options);
    }

    /**
     * Opens one more connection with options of the test's choosing (a connection name, a retry
     * policy), closed and cleaned up as {@link #connect()}.
     *
     * @param options options for this broker, usually {@code options().toBuilder()...build()}
     * @return an open connection
     */
    public Connection connect(ConnectionOptions options) {
        return classScope.open(Objects.requireNonNull(options, "options"));
    }

    @Override
    public String toString() {
        return "TestBroker[" + kind + ", " + source + ", " + options.redactedUrl() + "]";
    }
}
