package io.seedmq.messaging.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ConnectionUrl masks passwords in text that is hardly a URL")
class ConnectionUrlTest {

    private static void assertMasked(String raw, String host, String... passwords) {
        String redacted = ConnectionUrl.redact(raw);
        for (String password : passwords) {
            assertFalse(redacted.contains(password), redacted);
        }
        assertTrue(redacted.contains("****@" + host), redacted);
    }

    @Test
    @DisplayName("the password of a well-formed URL")
    void wellFormed() {
        assertMasked("amqp://alice:hunter2@h:5672/v", "h:5672/v", "hunter2");
    }

    @Test
    @DisplayName("every password of an oslo host list and of a kombu failover list")
    void lists() {
        assertMasked("rabbit://u:first@h1,v:second@h2/", "h2/", "first", "second");
        assertMasked("amqp://u:first@h1//;amqp://u:second@h2//", "h2//", "first", "second");
    }

    @Test
    @DisplayName("a password in text without a scheme, and one holding a slash or a colon")
    void oddText() {
        assertMasked("u:secret@h:5672", "h:5672", "secret");
        assertMasked("amqp://u:se/cret@h/", "h/", "se/cret", "cret");
        assertMasked("amqp://u://x:y@h/", "h/", "//x:y", "x:y");
    }

    @Test
    @DisplayName("text without credentials is left as it is")
    void nothingToMask() {
        assertEquals("amqp://h:5672/%2F?heartbeat=5", ConnectionUrl.redact("amqp://h:5672/%2F?heartbeat=5"));
    }
}
