package io.seedmq.messaging.serialization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.type.TypeReference;
import io.seedmq.messaging.ContentDisallowedException;
import io.seedmq.messaging.DecodeException;
import io.seedmq.messaging.EncodeException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Serializers")
class SerializerRegistryTest {

    record Order(String id, int quantity, List<String> tags) {
    }

    private final SerializerRegistry registry = SerializerRegistry.defaults();

    @Test
    @DisplayName("the payload chooses the serializer as in kombu: bytes raw, text as text, the rest JSON")
    void kombuRules() {
        assertEquals("bytes", registry.forPayload(new byte[] {1}).name());
        assertEquals("text", registry.forPayload("hi").name());
        assertEquals("json", registry.forPayload(Map.of("a", 1)).name());
        assertEquals("json", registry.forPayload(42).name());
    }

    @Test
    @DisplayName("JSON round-trips records and generic collections, kombu's byte layout")
    void jsonRoundTrip() {
        Serializer json = registry.byName("json");
        Order order = new Order("o-1", 3, List.of("rush"));
        byte[] body = json.encode(order);
        assertEquals("{\"id\":\"o-1\",\"quantity\":3,\"tags\":[\"rush\"]}", new String(body, StandardCharsets.UTF_8));
        assertEquals(order, json.decode(body, Order.class));
        List<Order> many = json.decode(json.encode(List.of(order, order)), new TypeReference<List<Order>>() { }.getType());
        assertEquals(List.of(order, order), many);
    }

    @Test
    @DisplayName("JSON ignores unknown fields, so producers can add fields")
    void unknownFieldsIgnored() {
        byte[] body = "{\"id\":\"o-2\",\"quantity\":1,\"tags\":[],\"addedLater\":true}".getBytes(StandardCharsets.UTF_8);
        assertEquals(new Order("o-2", 1, List.of()), registry.byName("json").decode(body, Order.class));
    }

    @Test
    @DisplayName("a message cannot choose the class it decodes into: no polymorphic typing")
    void noPolymorphicTyping() {
        byte[] body = "[\"java.util.ArrayList\",[\"x\"]]".getBytes(StandardCharsets.UTF_8);
        Object decoded = registry.byName("json").decode(body, Object.class);
        assertEquals(List.of("java.util.ArrayList", List.of("x")), decoded);
    }

    @Test
    @DisplayName("a malformed JSON body is a DecodeException naming the target type")
    void malformedJson() {
        DecodeException e = assertThrows(DecodeException.class,
                () -> registry.byName("json").decode("{not json".getBytes(StandardCharsets.UTF_8), Order.class));
        assertEquals(true, e.getMessage().contains("Order"), e.getMessage());
    }

    @Test
    @DisplayName("text and bytes refuse payloads they cannot carry")
    void wrongPayloads() {
        assertThrows(EncodeException.class, () -> registry.byName("text").encode(42));
        assertThrows(EncodeException.class, () -> registry.byName("bytes").encode("text"));
        assertThrows(DecodeException.class,
                () -> registry.byName("text").decode("x".getBytes(StandardCharsets.UTF_8), Order.class));
    }

    @Test
    @DisplayName("content types resolve with parameters and kombu's application/data")
    void contentTypes() {
        assertEquals("json", registry.byContentType("Application/JSON; charset=utf-8").name());
        assertEquals("bytes", registry.byContentType("application/data").name());
        assertArrayEquals(new byte[] {7}, registry.byContentType("application/octet-stream").decode(new byte[] {7}, byte[].class));
        assertThrows(ContentDisallowedException.class, () -> registry.byContentType("application/x-python-serialize"));
        assertEquals("application/json", registry.contentTypeOf("json"));
        assertEquals("text/plain", registry.contentTypeOf("text/plain"));
    }

    @Test
    @DisplayName("an unknown serializer name lists the known ones")
    void unknownName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> registry.byName("pickle"));
        assertEquals(true, e.getMessage().contains("json"), e.getMessage());
    }
}
