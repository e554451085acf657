package io.seedmq.messaging.test;

import io.seedmq.messaging.Connection;
import io.seedmq.messaging.ConnectionOptions;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstancePreConstructCallback;
import org.junit.jupiter.api.extension.TestInstanceFactoryContext;

/**
 * The JUnit 5 extension behind {@link SeedmqTest}; register it with the annotation (or with
 * {@code @ExtendWith(SeedmqExtension.class)}, which runs on the run's broker).
 *
 * <p><b>Which broker.</b> {@link BrokerKind#MEMORY}: a {@code memory://seedmq-test-<class>-<n>}
 * embedded broker of the class's own, deleted after the class. {@link BrokerKind#RABBITMQ}, found
 * once per run, in this order: the {@code SEEDMQ_AMQP_URL} environment variable; a Testcontainers
 * {@code RabbitMQContainer} when Testcontainers is on the class path and a Docker engine answers
 * (image {@value BrokerResolver#DEFAULT_IMAGE}, or the system property
 * {@value BrokerResolver#IMAGE_PROPERTY}; one container for the whole run, removed by Testcontainers
 * when the JVM exits); {@code amqp://guest:guest@127.0.0.1:5672/} when it completes a handshake
 * within two seconds. With none, the class's tests are skipped with the reason, or fail when the
 * environment variable {@code SEEDMQ_REQUIRE_BROKER} is {@code true}. {@link BrokerKind#DEFAULT}: the
 * system property {@value #BROKER_PROPERTY} ({@code memory} or {@code rabbitmq}), else memory.
 *
 * <p><b>Parameters and clean-up.</b> A {@link Connection} parameter gets a new connection; one of a
 * test method, {@code @BeforeEach} or {@code @AfterEach} is closed after the test (after its last
 * {@code @AfterEach}), one of a constructor, {@code @BeforeAll} or {@code @AfterAll} after the
 * class. {@link TestNames} are the test's (or the class's) unique names. When a test's connections
 * are closed, the queues and exchanges named through its {@link TestNames}, and those declared
 * through the kit's connections under a suffix of the class's names, are deleted (on RabbitMQ
 * through a short-lived clean-up connection). {@link ConnectionOptions} and {@link TestBroker} are
 * the class's broker.
 *
 * <p>Safe with JUnit's parallel execution: every scope is its own, and the class's broker is made
 * once.
 */
public final class SeedmqExtension implements BeforeAllCallback, TestInstancePreConstructCallback, ParameterResolver {

    /** The system property that chooses the broker of {@link BrokerKind#DEFAULT} classes: {@code memory} or {@code rabbitmq}. */
    public static final String BROKER_PROPERTY = "seedmq.test.broker";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SeedmqExtension.class);
    private static final BrokerResolver RESOLVER = new BrokerResolver(new MachineProbes());
    private static final AtomicInteger MEMORY_BROKERS = new AtomicInteger();
    private static final Duration TEST_TIMEOUT = Duration.ofSeconds(5);

    /** For JUnit. */
    public SeedmqExtension() {
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        classBroker(context);
    }

    @Override
    public void preConstructTestInstance(TestInstanceFactoryContext factoryContext, ExtensionContext context) {
        classBroker(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == Connection.class || type == ConnectionOptions.class || type == TestBroker.class
                || type == TestNames.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ClassBroker classBroker = classBroker(context);
        Class<?> type = parameter.getParameter().getType();
        if (type == TestBroker.class) {
            return classBroker.broker();
        }
        if (type == ConnectionOptions.class) {
            return classBroker.broker().options();
        }
        TestScope scope = scope(context, classBroker);
        return type == TestNames.class ? scope.names() : scope.open(classBroker.broker().options());
    }

    /** A test method's context has a scope of its own; a class's context (constructor, {@code @BeforeAll}) the class's. */
    private static TestScope scope(ExtensionContext context, ClassBroker classBroker) {
        if (context.getTestMethod().isEmpty()) {
            return classBroker.classScope();
        }
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(TestScope.class, k -> classBroker.newTestScope(),
                TestScope.class);
    }

    /** The broker of the outermost test class, made once; skips or fails the class when there is none. */
    private static ClassBroker classBroker(ExtensionContext context) {
        ExtensionContext outermost = context;
        while (outermost.getParent().isPresent() && outermost.getParent().get().getTestClass().isPresent()) {
            outermost = outermost.getParent().get();
        }
        Class<?> testClass = outermost.getRequiredTestClass();
        return outermost.getStore(NAMESPACE).getOrComputeIfAbsent(ClassBroker.class, k -> open(testClass),
                ClassBroker.class);
    }

    /**
     * The run's RabbitMQ for code that JUnit's extensions do not reach (a jqwik property, a
     * {@code main} of a test tool), found as for {@code @SeedmqTest(broker = RABBITMQ)}.
     *
     * @return its options (test timeouts set), or empty when there is none; then
     *     {@link #rabbitMqUnavailableReason()} says why
     */
    public static Optional<ConnectionOptions> rabbitMqOptions() {
        BrokerResolver.RabbitMq found = RESOLVER.rabbitMq();
        return found.url() == null ? Optional.empty() : Optional.of(rabbitMqOptions(found.url()));
    }

    /** @return why the run has no RabbitMQ, or {@code null} when it has one */
    public static String rabbitMqUnavailableReason() {
        return RESOLVER.rabbitMq().reason();
    }

    /** @return whether {@code SEEDMQ_REQUIRE_BROKER=true}: a missing RabbitMQ fails instead of skipping */
    public static boolean brokerRequired() {
        return RESOLVER.required();
    }

    private static ConnectionOptions rabbitMqOptions(String url) {
        return ConnectionOptions.fromUrl(url).toBuilder()
                .connectionTimeout(TEST_TIMEOUT)
                .operationTimeout(TEST_TIMEOUT)
                .recoveryInterval(Duration.ofMillis(500))
                .build();
    }

    private static ClassBroker open(Class<?> testClass) {
        SeedmqTest annotation = testClass.getAnnotation(SeedmqTest.class);
        BrokerKind kind;
        try {
            kind = RESOLVER.kind(annotation == null ? BrokerKind.DEFAULT : annotation.broker());
        } catch (IllegalArgumentException e) {
            throw new ExtensionConfigurationException(e.getMessage(), e);
        }
        if (kind == BrokerKind.MEMORY) {
            String url = "memory://seedmq-test-" + testClass.getSimpleName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
                    + "-" + MEMORY_BROKERS.incrementAndGet();
            return new ClassBroker(kind, TestBroker.Source.MEMORY, url, ConnectionOptions.fromUrl(url));
        }
        BrokerResolver.RabbitMq found = RESOLVER.rabbitMq();
        if (found.url() == null) {
            if (RESOLVER.required()) {
                throw new ExtensionConfigurationException(BrokerResolver.REQUIRE_VARIABLE + "=true but " + found.reason());
            }
            Assumptions.abort(found.reason());
        }
        return new ClassBroker(kind, found.source(), found.url(), rabbitMqOptions(found.url()));
    }
}
