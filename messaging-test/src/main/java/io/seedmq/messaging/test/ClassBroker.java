package io.seedmq.messaging.test;

import io.seedmq.messaging.inmemory.InMemoryBroker;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The broker of one test class and the class's own scope, kept in the class's JUnit store: closing
 * it undoes the class scope and, on the embedded broker, deletes the class's named broker.
 */
@SuppressWarnings("deprecation") // CloseableResource too, for JUnit before 5.13 (AutoCloseable is enough after)
final class ClassBroker implements ExtensionContext.Store.CloseableResource, AutoCloseable {

    private final Set<String> suffixes = Collections.synchronizedSet(new HashSet<>());
    private final TestScope classScope;
    private final TestBroker broker;
    private final AtomicBoolean closed = new AtomicBoolean();

    ClassBroker(BrokerKind kind, TestBroker.Source source, String url, io.seedmq.messaging.ConnectionOptions options) {
        this.classScope = new TestScope(options, suffixes);
        this.broker = new TestBroker(kind, source, url, options, classScope);
    }

    TestBroker broker() {
        return broker;
    }

    TestScope classScope() {
        return classScope;
    }

    /** @return a new scope for one test, sharing the class's suffixes */
    TestScope newTestScope() {
        return new TestScope(broker.options(), suffixes);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        classScope.close();
        if (broker.source() == TestBroker.Source.MEMORY) {
            InMemoryBroker.named(broker.options().brokerName()).delete();
        }
    }
}
