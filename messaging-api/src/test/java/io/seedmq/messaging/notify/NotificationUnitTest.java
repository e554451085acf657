package io.seedmq.messaging.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.seedmq.messaging.DecodeException;
import io.seedmq.messaging.notify.internal.NotificationCodec;
import io.seedmq.messaging.notify.internal.OsloTimestamps;
import io.seedmq.messaging.oslo.Context;
import io.seedmq.messaging.oslo.internal.OsloCodec;
import io.seedmq.messaging.serialization.JsonSerializer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The details of notifications that need no broker: priorities, timestamps, the codec, filters, options. */
@DisplayName("Notifications without a broker")
class NotificationUnitTest {

    private static Notification notification(String publisher, String eventType, Object payload, Context ctx) {
        return Notification.of(Priority.INFO, publisher, eventType, JsonSerializer.defaultMapper().valueToTree(payload), ctx,
                Map.of("message_id", "6f8c1e9e-0000-4000-8000-000000000000", "timestamp", "2024-05-06 07:08:09.123456"));
    }

    @Nested
    @DisplayName("Priority")
    class Priorities {
        @Test
        @DisplayName("reads names as oslo does: any case, warning is warn, unknown names are empty")
        void parse() {
            assertEquals(Optional.of(Priority.WARN), Priority.parse("warning"));
            assertEquals(Optional.of(Priority.WARN), Priority.parse("WARN"));
            assertEquals(Optional.of(Priority.SAMPLE), Priority.parse("Sample"));
            assertEquals(Optional.empty(), Priority.parse("loud"));
            assertEquals(Optional.empty(), Priority.parse(null));
            assertEquals("WARN", Priority.WARN.wireName());
            assertEquals("critical", Priority.CRITICAL.routingName());
            assertEquals("notifications.warn", NotificationTarget.topic("notifications").routingKey(Priority.WARN));
            assertEquals("openstack", NotificationTarget.topic("notifications").exchange());
        }
    }

    @Nested
    @DisplayName("Timestamps")
    class Timestamps {
        @Test
        @DisplayName("are written like Python's str(datetime): microseconds, left out when zero")
        void format() {
            assertEquals("2024-05-06 07:08:09.123456", OsloTimestamps.format(Instant.parse("2024-05-06T07:08:09.123456789Z")));
            assertEquals("2024-05-06 07:08:09.000100", OsloTimestamps.format(Instant.parse("2024-05-06T07:08:09.000100Z")));
            assertEquals("2024-05-06 07:08:09", OsloTimestamps.format(Instant.parse("2024-05-06T07:08:09Z")));
        }

        @Test
        @DisplayName("are the text java.time's formatter writes, for any instant from year -2000 to 12000")
        void formatMatchesFormatter() {
            DateTimeFormatter seconds = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");
            DateTimeFormatter micros = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");
            Random random = new Random(16);
            List<Instant> instants = new ArrayList<>(List.of(Instant.EPOCH, Instant.parse("1999-12-31T23:59:59.999999999Z"),
                    Instant.parse("0001-01-01T00:00:00.000001Z"), Instant.parse("9999-12-31T23:59:59.999999Z"),
                    Instant.parse("+10000-01-01T00:00:00Z"), Instant.parse("-0001-06-30T12:00:00.5Z")));
            long from = Instant.parse("-2000-01-01T00:00:00Z").getEpochSecond();
            long to = Instant.parse("+12000-01-01T00:00:00Z").getEpochSecond();
            for (int i = 0; i < 20_000; i++) {
                long second = from + Math.floorMod(random.nextLong(), to - from);
                int nanos = switch (i % 3) {
                    case 0 -> 0;
                    case 1 -> random.nextInt(1000);
                    default -> random.nextInt(1_000_000_000);
                };
                instants.add(Instant.ofEpochSecond(second, nanos));
            }
            for (Instant instant : instants) {
                LocalDateTime t = LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
                assertEquals((t.getNano() == 0 ? seconds : micros).format(t), OsloTimestamps.format(instant),
                        instant::toString);
            }
        }

        @Test
        @DisplayName("are read with or without the fraction, as UTC; anything else is empty")
        void parse() {
            assertEquals(Optional.of(Instant.parse("2024-05-06T07:08:09.123456Z")), OsloTimestamps.tryParse("2024-05-06 07:08:09.123456"));
            assertEquals(Optional.of(Instant.parse("2024-05-06T07:08:09Z")), OsloTimestamps.tryParse("2024-05-06 07:08:09"));
            assertEquals(Optional.empty(), OsloTimestamps.tryParse("Mon May 6"));
        }
    }

    @Nested
    @DisplayName("Codec")
    class Codec {
        private final NotificationCodec codec = new NotificationCodec(JsonSerializer.defaultMapper());

        @Test
        @DisplayName("round-trips a notification through the 2.0 envelope and through version 1")
        void roundTrip() {
            Notification n = notification("p", "e", Map.of("a", List.of(1, "x")), Context.empty().with("user", "u"));
            assertEquals(n, codec.decode(codec.encode(n, true)));
            assertEquals(n, codec.decode(codec.encode(n, false)));
        }

        @Test
        @DisplayName("writes JSON as Python's json.dumps does, non-ASCII escaped")
        void pythonLayout() {
            Notification n = notification("p", "e", Map.of("t", "h\u00e9"), Context.empty());
            String body = new String(codec.encode(n, false), StandardCharsets.UTF_8);
            assertTrue(body.startsWith("{\"message_id\": \"6f8c1e9e-"), body);
            // Jackson writes the hex digits in upper case, Python in lower case: the same JSON string.
            assertTrue(body.toLowerCase(java.util.Locale.ROOT).contains("\"payload\": {\"t\": \"h\\u00e9\"}"), body);
        }

        @Test
        @DisplayName("refuses bodies that are not notifications")
        void refuses() {
            assertThrows(DecodeException.class, () -> codec.decode("nope".getBytes(StandardCharsets.UTF_8)));
            assertThrows(DecodeException.class, () -> codec.decode("{\"priority\": \"LOUD\"}".getBytes(StandardCharsets.UTF_8)));
            assertThrows(DecodeException.class, () -> codec.decode("{\"payload\": 1}".getBytes(StandardCharsets.UTF_8)));
            OsloCodec oslo = new OsloCodec(JsonSerializer.defaultMapper());
            ObjectNode m = oslo.newMessage();
            m.put("priority", 3);
            assertThrows(DecodeException.class, () -> codec.decode(oslo.encode(m, true)));
        }
    }

    @Nested
    @DisplayName("NotificationFilter")
    class Filters {
        @Test
        @DisplayName("matches like re.match: anchored at the start only")
        void anchoredAtStart() {
            NotificationFilter f = NotificationFilter.builder().publisherId("compute").build();
            assertTrue(f.matches(notification("compute.host1", "e", 1, Context.empty())));
            assertFalse(f.matches(notification("nova-compute", "e", 1, Context.empty())));
            NotificationFilter whole = NotificationFilter.builder().publisherId("compute$").build();
            assertFalse(whole.matches(notification("compute.host1", "e", 1, Context.empty())));
        }

        @Test
        @DisplayName("a missing or null publisher or event type never matches a rule on it")
        void missingFields() {
            NotificationFilter f = NotificationFilter.builder().eventType(".*").build();
            assertFalse(f.matches(notification("p", null, 1, Context.empty())));
            assertTrue(NotificationFilter.acceptAll().matches(notification(null, null, null, Context.empty())));
        }

        @Test
        @DisplayName("payload and context rules: nested maps, non-strings never match, every rule must hold")
        void nested() {
            NotificationFilter f = NotificationFilter.builder()
                    .payload(Map.of("a", Map.of("b", Map.of("c", "^x"))))
                    .payload(Map.of("a", Map.of("d", "^y")))
                    .context("roles", "admin")
                    .build();
            Context admin = Context.empty().with("roles", "admin,member");
            assertTrue(f.matches(notification("p", "e", Map.of("a", Map.of("b", Map.of("c", "xx"), "d", "y")), admin)));
            assertFalse(f.matches(notification("p", "e", Map.of("a", Map.of("b", Map.of("c", "xx"))), admin)), "merged rule d");
            assertFalse(f.matches(notification("p", "e", Map.of("a", Map.of("b", Map.of("c", 1), "d", "y")), admin)));
            assertFalse(f.matches(notification("p", "e", Map.of("a", Map.of("b", Map.of("c", "xx"), "d", "y")),
                    Context.empty().with("roles", List.of("admin")))));
            assertThrows(IllegalArgumentException.class, () -> NotificationFilter.builder().payload(Map.of("a", 1)));
        }
    }

    @Nested
    @DisplayName("Options and endpoints")
    class OptionsAndEndpoints {
        @Test
        @DisplayName("notifier defaults are oslo's; driver names parse")
        void notifierDefaults() {
            NotifierOptions o = NotifierOptions.defaults();
            assertEquals(List.of("notifications"), o.topics());
            assertEquals("openstack", o.exchange());
            assertEquals(List.of(NotifierOptions.Driver.MESSAGING_V2), o.drivers());
            assertEquals(NotifierOptions.DEFAULT_RETRY, o.retry(), "bounded by default, unlike oslo's forever");
            assertTrue(o.declareQueues());
            assertTrue(o.sensitiveContextKey().test("auth_token"));
            assertEquals(NotifierOptions.Driver.MESSAGING, NotifierOptions.Driver.fromOsloName("messaging"));
            assertThrows(IllegalArgumentException.class, () -> NotifierOptions.Driver.fromOsloName("routing"));
            assertThrows(IllegalArgumentException.class, () -> NotifierOptions.builder().retry(-2));
            assertEquals(o.toString(), o.toBuilder().build().toString());
        }

        @Test
        @DisplayName("listener options validate")
        void listenerOptions() {
            assertThrows(IllegalArgumentException.class, () -> ListenerOptions.builder().concurrency(0).build());
            assertThrows(IllegalArgumentException.class, () -> ListenerOptions.builder().pool("").build());
            assertThrows(IllegalArgumentException.class, () -> ListenerOptions.builder().batch(2, java.time.Duration.ZERO).build());
            ListenerOptions o = ListenerOptions.builder().pool("p").batch(10, java.time.Duration.ofSeconds(2)).build();
            assertTrue(o.batchMode());
            assertEquals(o, o.toBuilder().build());
        }

        @Test
        @DisplayName("an endpoint handles the priorities whose method it overrides, or all with handle()")
        void endpointPriorities() {
            NotificationEndpoint infoAndError = new NotificationEndpoint() {
                @Override
                public NotificationResult info(Context c, String p, String t, JsonNode pl, Map<String, Object> md) {
                    return null;
                }

                @Override
                public NotificationResult error(Context c, String p, String t, JsonNode pl, Map<String, Object> md) {
                    return null;
                }
            };
            assertEquals(EnumSet.of(Priority.INFO, Priority.ERROR), infoAndError.priorities());
            assertEquals(EnumSet.allOf(Priority.class), NotificationEndpoint.of(n -> null).priorities());
            assertEquals(Set.of(Priority.AUDIT), NotificationEndpoint.of(NotificationFilter.acceptAll(), Set.of(Priority.AUDIT),
                    n -> null).priorities());
        }
    }
}
