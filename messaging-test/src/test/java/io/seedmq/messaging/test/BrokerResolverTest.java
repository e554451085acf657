package io.seedmq.messaging.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * How the kit chooses a broker, on a fake machine: every branch of the search, including the
 * Testcontainers one, which cannot run here (no Docker engine).
 */
@DisplayName("Choosing the broker")
class BrokerResolverTest {

    /** A machine whose answers the test sets, and which remembers what it was asked. */
    static final class FakeMachine implements BrokerResolver.Probes {
        final Map<String, String> env = new HashMap<>();
        final Map<String, String> properties = new HashMap<>();
        String dockerWhy = "no Docker engine";
        RuntimeException containerFailure;
        final Set<String> answering = new HashSet<>();
        final List<String> asked = new ArrayList<>();

        @Override
        public String env(String name) {
            return env.get(name);
        }

        @Override
        public String property(String name) {
            return properties.get(name);
        }

        @Override
        public String dockerUnavailableReason() {
            asked.add("docker");
            return dockerWhy;
        }

        @Override
        public String startContainer(String image) {
            asked.add("start " + image);
            if (containerFailure != null) {
                throw containerFailure;
            }
            return "amqp://guest:guest@localhost:32771/";
        }

        @Override
        public boolean answers(String url) {
            asked.add("probe " + url);
            return answering.contains(url);
        }
    }

    private final FakeMachine machine = new FakeMachine();
    private final BrokerResolver resolver = new BrokerResolver(machine);

    @Nested
    @DisplayName("which kind")
    class Kind {

        @Test
        @DisplayName("a class that names a kind gets it, whatever the run says")
        void classWins() {
            machine.properties.put(SeedmqExtension.BROKER_PROPERTY, "rabbitmq");
            assertEquals(BrokerKind.MEMORY, resolver.kind(BrokerKind.MEMORY));
            machine.properties.put(SeedmqExtension.BROKER_PROPERTY, "memory");
            assertEquals(BrokerKind.RABBITMQ, resolver.kind(BrokerKind.RABBITMQ));
        }

        @Test
        @DisplayName("a class that leaves it to the run gets the run's property, else memory")
        void runChooses() {
            assertEquals(BrokerKind.MEMORY, resolver.kind(BrokerKind.DEFAULT));
            machine.properties.put(SeedmqExtension.BROKER_PROPERTY, " RabbitMQ ");
            assertEquals(BrokerKind.RABBITMQ, resolver.kind(BrokerKind.DEFAULT));
        }

        @Test
        @DisplayName("a property that names no kind is an error naming the choices, not a silent default")
        void typo() {
            machine.properties.put(SeedmqExtension.BROKER_PROPERTY, "rabitmq");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> resolver.kind(BrokerKind.DEFAULT));
            assertTrue(e.getMessage().contains("rabitmq") && e.getMessage().contains("memory or rabbitmq"), e.getMessage());
        }
    }

    @Nested
    @DisplayName("where RabbitMQ is")
    class Where {

        @Test
        @DisplayName("SEEDMQ_AMQP_URL comes first: neither Docker nor the local broker is asked")
        void environmentFirst() {
            machine.env.put("SEEDMQ_AMQP_URL", " amqp://u:p@rabbit:5672/ci ");
            machine.dockerWhy = null;
            machine.answering.add(BrokerResolver.LOCAL_URL);
            BrokerResolver.RabbitMq found = resolver.rabbitMq();
            assertEquals("amqp://u:p@rabbit:5672/ci", found.url());
            assertEquals(TestBroker.Source.ENVIRONMENT, found.source());
            assertEquals(List.of(), machine.asked);
        }

        @Test
        @DisplayName("with a Docker engine, one container for the whole run, of the default image")
        void testcontainersOncePerRun() {
            machine.dockerWhy = null;
            machine.answering.add(BrokerResolver.LOCAL_URL);
            BrokerResolver.RabbitMq first = resolver.rabbitMq();
            assertEquals(TestBroker.Source.TESTCONTAINERS, first.source());
            assertEquals("amqp://guest:guest@localhost:32771/", first.url());
            assertSame(first, resolver.rabbitMq(), "asked again, the same broker");
            assertEquals(List.of("docker", "start " + BrokerResolver.DEFAULT_IMAGE), machine.asked,
                    "one container, and the local broker never probed");
        }

        @Test
        @DisplayName("the image can be chosen with a system property")
        void image() {
            machine.dockerWhy = null;
            machine.properties.put(BrokerResolver.IMAGE_PROPERTY, "rabbitmq:4.1");
            resolver.rabbitMq();
            assertTrue(machine.asked.contains("start rabbitmq:4.1"), machine.asked.toString());
        }

        @Test
        @DisplayName("a container that does not start falls back to the local broker")
        void containerFails() {
            machine.dockerWhy = null;
            machine.containerFailure = new IllegalStateException("pull refused");
            machine.answering.add(BrokerResolver.LOCAL_URL);
            assertEquals(TestBroker.Source.LOCAL, resolver.rabbitMq().source());
        }

        @Test
        @DisplayName("without Docker, the local broker when it answers")
        void local() {
            machine.answering.add(BrokerResolver.LOCAL_URL);
            BrokerResolver.RabbitMq found = resolver.rabbitMq();
            assertEquals(BrokerResolver.LOCAL_URL, found.url());
            assertEquals(TestBroker.Source.LOCAL, found.source());
            assertNull(found.reason());
        }

        @Test
        @DisplayName("with none, the reason names all three places, and is given once per run")
        void none() {
            machine.containerFailure = new IllegalStateException("pull refused");
            machine.dockerWhy = null;
            BrokerResolver.RabbitMq found = resolver.rabbitMq();
            assertNull(found.url());
            assertTrue(found.reason().contains("SEEDMQ_AMQP_URL is unset"), found.reason());
            assertTrue(found.reason().contains("pull refused"), found.reason());
            assertTrue(found.reason().contains("127.0.0.1:5672"), found.reason());
            int asked = machine.asked.size();
            assertSame(found, resolver.rabbitMq());
            assertEquals(asked, machine.asked.size(), "not looked for again");
        }

        @Test
        @DisplayName("SEEDMQ_REQUIRE_BROKER=true turns a missing broker into a failure")
        void required() {
            assertFalse(resolver.required());
            machine.env.put("SEEDMQ_REQUIRE_BROKER", "true");
            assertTrue(resolver.required());
        }
    }
}
