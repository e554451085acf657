package io.seedmq.messaging.test.guide;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.seedmq.messaging.Connection;
import io.seedmq.messaging.Message;
import io.seedmq.messaging.SimpleQueue;
import io.seedmq.messaging.test.SeedmqTest;
import io.seedmq.messaging.test.TestNames;
import java.time.Duration;
import org.junit.jupiter.api.Test;

// docs/testing.md, "A broker for every test class"
@SeedmqTest
class FirstTest {

    @Test
    void sendsAndReceives(Connection sender, Connection receiver, TestNames names) {
        String queue = names.of("hello");                       // hello.3f9a1c2e, deleted after the test
        try (SimpleQueue out = sender.simpleQueue(queue); SimpleQueue in = receiver.simpleQueue(queue)) {
            out.put("Hello World!");
            Message message = in.get(Duration.ofSeconds(5));
            assertEquals("Hello World!", message.payload(String.class));
            message.ack();
        }
    }
}
