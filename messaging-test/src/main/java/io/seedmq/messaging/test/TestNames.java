package io.seedmq.messaging.test;

import java.util.Objects;

/**
 * Names of queues, exchanges, topics and pools unique to one test, so tests sharing a broker (a
 * RabbitMQ used by several runs at once, or the classes of one run) never meet each other's
 * messages: {@code names.of("orders")} is {@code orders.3f9a1c2e}, with one random suffix per test.
 *
 * <p>After the test, the kit deletes every queue and exchange named by {@link #of}, and every queue
 * and exchange carrying the suffix (such as an RPC server's {@code calc.3f9a1c2e.server-1}) that
 * was declared through a connection the kit opened. Names without the suffix are never deleted:
 * another test or application may share them.
 *
 * <p>A parameter of a test method or of {@code @BeforeEach} / {@code @AfterEach} gets the test's
 * names; one of a constructor or {@code @BeforeAll}, the class's (deleted after the class).
 * Thread-safe.
 */
public final class TestNames {

    private final String suffix;
    private final TestScope scope;

    TestNames(String suffix, TestScope scope) {
        this.suffix = suffix;
        this.scope = scope;
    }

    /**
     * @param base a name as the application would use it, such as {@code orders}
     * @return the name for this test: {@code base.<suffix>}, deleted as a queue and as an exchange afterwards
     */
    public String of(String base) {
        String name = Objects.requireNonNull(base, "base") + "." + suffix;
        scope.handedOut(name);
        return name;
    }

    /** @return the random part this test's names share, eight hexadecimal digits */
    public String suffix() {
        return suffix;
    }

    @Override
    public String toString() {
        return "TestNames[" + suffix + "]";
    }
}
