package io.seedmq.messaging.internal;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seedmq.messaging.Connection;
import io.seedmq.messaging.UnsupportedSchemeException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Transport lookup")
class TransportRegistryTest {

    @Test
    @DisplayName("a scheme nobody provides is a clear error naming what is available, without the password")
    void unknownScheme() {
        UnsupportedSchemeException e = assertThrows(UnsupportedSchemeException.class,
                () -> Connection.open("kafka://user:secret@localhost:9092/"));
        assertTrue(e.getMessage().contains("kafka://"), e.getMessage());
        assertTrue(e.getMessage().contains("available"), e.getMessage());
        assertTrue(!e.getMessage().contains("secret"), e.getMessage());
    }
}
