package io.seedmq.messaging.rpc.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** oslo's version strings and {@code version_is_compatible}. */
@DisplayName("RPC versions")
class VersionsTest {

    @Test
    @DisplayName("major.minor and major.minor.revision parse; the revision defaults to 0")
    void parses() {
        assertArrayEquals(new int[] {1, 0, 0}, Versions.parse("1.0"));
        assertArrayEquals(new int[] {1, 2, 3}, Versions.parse("1.2.3"));
        assertArrayEquals(new int[] {10, 20, 0}, Versions.parse("10.20"));
        assertArrayEquals(new int[] {0, 0, 0}, Versions.parse("0.0"));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "1", "1.", ".1", "1..2", "1.2.", "1.2.3.4", "a.b", "1.b", "1.-2", " 1.2", "1.2 ",
            "9999999999.1"})
    @DisplayName("anything else is refused with the version in the message")
    void refuses(String version) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Versions.parse(version));
        assertTrue(e.getMessage().contains("'" + version + "'"), e.getMessage());
    }

    @Test
    @DisplayName("compatible: same major, requested minor (then revision) not above the implemented one")
    void compatible() {
        assertTrue(Versions.compatible("1.2", "1.0"));
        assertTrue(Versions.compatible("1.2", "1.2"));
        assertTrue(Versions.compatible("1.2.3", "1.2.1"));
        assertFalse(Versions.compatible("1.2", "1.3"));
        assertFalse(Versions.compatible("1.2.1", "1.2.3"));
        assertFalse(Versions.compatible("2.0", "1.0"));
        assertFalse(Versions.compatible("1.0", "2.0"));
    }
}
