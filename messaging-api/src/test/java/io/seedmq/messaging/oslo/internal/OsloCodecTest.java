package io.seedmq.messaging.oslo.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.seedmq.messaging.DecodeException;
import io.seedmq.messaging.oslo.Context;
import io.seedmq.messaging.serialization.JsonSerializer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("oslo's wire format")
class OsloCodecTest {

    private final OsloCodec codec = new OsloCodec(JsonSerializer.defaultMapper());

    @Test
    @DisplayName("writes the 2.0 envelope byte for byte as Python's json.dumps does")
    void envelopeLikePython() {
        ObjectNode m = codec.newMessage();
        m.put("method", "add");
        m.putObject("args").put("x", 1).put("text", "h\u00e9llo");
        // json.dumps({"oslo.version": "2.0", "oslo.message": json.dumps(m)}) in Python 3:
        String python = "{\"oslo.version\": \"2.0\", \"oslo.message\": "
                + "\"{\\\"method\\\": \\\"add\\\", \\\"args\\\": {\\\"x\\\": 1, \\\"text\\\": \\\"h\\\\u00e9llo\\\"}}\"}";
        assertEquals(python, new String(codec.encode(m, true), StandardCharsets.UTF_8));
        assertEquals("{\"method\": \"add\", \"args\": {\"x\": 1, \"text\": \"h\\u00e9llo\"}}",
                new String(codec.encode(m, false), StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("the envelope written directly is the serializer's, byte for byte, for quotes, backslashes, control and non-ASCII text, short and long")
    void envelopeSameAsSerializer() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper mapper = JsonSerializer.defaultMapper();
        for (String text : List.of("plain", "say \"hi\"", "C:\\path\\", "tab\tnew\nline\u0001", "h\u00e9llo \u2603 \uD83D\uDE00",
                "\\\"", "/slash/", "del\u007f", "\"q\\".repeat(5_000), "x".repeat(9_000) + "\u00e9")) {
            ObjectNode m = codec.newMessage();
            m.put("method", "echo");
            m.putObject("args").put("text", text);
            Map<String, String> outer = new java.util.LinkedHashMap<>();
            outer.put(OsloCodec.VERSION_KEY, OsloCodec.ENVELOPE_VERSION);
            outer.put(OsloCodec.MESSAGE_KEY, codec.write(m));
            String viaSerializer = new String(codec.encode(m, false), StandardCharsets.UTF_8);
            assertEquals(codec.write(m), viaSerializer, text);
            String expected = codec.write(mapper.valueToTree(outer));
            assertEquals(expected, new String(codec.encode(m, true), StandardCharsets.UTF_8), text);
            assertEquals(m, codec.decode(codec.encode(m, true)), text);
        }
    }

    @Test
    @DisplayName("builds arguments and results as valueToTree does, byte for byte on the wire, whatever the mapper's configuration")
    void treesAsValueToTree() {
        com.fasterxml.jackson.databind.module.SimpleModule longsAsText = new com.fasterxml.jackson.databind.module.SimpleModule()
                .addSerializer(Long.class, com.fasterxml.jackson.databind.ser.std.ToStringSerializer.instance);
        List<com.fasterxml.jackson.databind.ObjectMapper> mappers = List.of(JsonSerializer.defaultMapper(),
                JsonSerializer.defaultMapper().enable(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS),
                JsonSerializer.defaultMapper().registerModule(longsAsText),
                JsonSerializer.defaultMapper().setDefaultPropertyInclusion(com.fasterxml.jackson.annotation.JsonInclude.Value
                        .construct(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY,
                                com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)),
                JsonSerializer.defaultMapper().setBase64Variant(com.fasterxml.jackson.core.Base64Variants.MODIFIED_FOR_URL),
                JsonSerializer.defaultMapper().registerModule(new com.fasterxml.jackson.databind.module.SimpleModule()
                        .addSerializer(byte[].class, new com.fasterxml.jackson.databind.ser.std.StdSerializer<>(byte[].class) {
                            @Override
                            public void serialize(byte[] v, com.fasterxml.jackson.core.JsonGenerator g,
                                                  com.fasterxml.jackson.databind.SerializerProvider p) throws java.io.IOException {
                                g.writeString(java.util.HexFormat.of().formatHex(v));
                            }
                        })));
        Map<String, Object> nested = new java.util.LinkedHashMap<>();
        nested.put("z", 1);
        nested.put("a", "");
        nested.put("n", null);
        Map<String, Object> args = new java.util.LinkedHashMap<>();
        args.put("y", 5L);
        args.put("x", "h\u00e9llo \"q\"");
        args.put("flag", true);
        args.put("inner", nested);
        args.put("decimal", new java.math.BigDecimal("1.50"));
        byte[] binary = new byte[200];
        new java.util.Random(5).nextBytes(binary);
        for (com.fasterxml.jackson.databind.ObjectMapper mapper : mappers) {
            OsloCodec c = new OsloCodec(mapper);
            for (Object value : java.util.Arrays.asList("text", 7, 7L, false, Map.of(), Map.of("k", 1), nested, args,
                    List.of(1, 2), binary, new byte[0], Map.of("body", binary), null)) {
                assertEquals(mapper.valueToTree(value), c.toTree(value), String.valueOf(value));
                ObjectNode viaCodec = c.newMessage();
                viaCodec.set("result", c.toTree(value));
                ObjectNode viaMapper = c.newMessage();
                viaMapper.set("result", mapper.valueToTree(value));
                assertEquals(new String(c.encode(viaMapper, true), StandardCharsets.UTF_8),
                        new String(c.encode(viaCodec, true), StandardCharsets.UTF_8), String.valueOf(value));
            }
        }
        byte[] reused = {1, 2, 3};
        JsonNode tree = new OsloCodec(JsonSerializer.defaultMapper()).toTree(reused);
        reused[0] = 9;
        assertEquals(JsonSerializer.defaultMapper().valueToTree(new byte[] {1, 2, 3}), tree, "the tree keeps its own copy");
    }

    @Test
    @DisplayName("reads envelopes the streaming path passes on: extra fields, a numeric version, duplicate keys, a bare message")
    void decodesUnusualEnvelopes() {
        ObjectNode m = codec.newMessage();
        m.put("method", "add");
        for (String body : List.of("{\"oslo.version\": \"2.0\", \"oslo.message\": \"{\\\"method\\\": \\\"add\\\"}\", \"extra\": 1}",
                "{\"oslo.message\": \"{\\\"method\\\": \\\"add\\\"}\", \"oslo.version\": 2}",
                "{\"oslo.version\": \"2.0\", \"oslo.message\": \"{}\", \"oslo.message\": \"{\\\"method\\\": \\\"add\\\"}\"}",
                "{\"method\": \"add\"}")) {
            ObjectNode decoded = codec.decode(body.getBytes(StandardCharsets.UTF_8));
            assertEquals("add", decoded.get("method").asText(), body);
        }
    }

    @Test
    @DisplayName("reads the inner message from the body's bytes as a JSON parser reads its string, whatever its escapes")
    void decodesInnerAsTheParser() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper mapper = JsonSerializer.defaultMapper();
        String q = "\\\"";
        List<String> inners = List.of("{" + q + "a" + q + ": " + q + "b" + q + "}",
                "{" + q + "t" + q + ": " + q + "tab\\\\there, quote \\\\" + q + ", \\\\u00e9" + q + "}",
                "{" + q + "raw" + q + ": " + q + "h\u00e9llo \ud83d\ude00" + q + "}",
                "{" + q + "slash" + q + ": " + q + "a\\/b" + q + "}",
                "{" + q + "u" + q + ": " + q + "\\u0041\\u00e9" + q + "}",
                "{\\n" + q + "nl" + q + ": 1}",
                "\\u007b" + q + "escaped" + q + ": true}",
                "{}");
        for (String inner : inners) {
            for (String body : List.of("{\"oslo.version\": \"2.0\", \"oslo.message\": \"" + inner + "\"}",
                    "{\"oslo.message\":\"" + inner + "\" , \"oslo.version\":\"2.1\"}")) {
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                JsonNode expected = mapper.readTree(mapper.readTree(bytes).get("oslo.message").textValue());
                assertEquals(expected, codec.decode(bytes), body);
            }
        }
        assertThrows(DecodeException.class, () -> codec.decode(
                "{\"oslo.version\": \"2.0\", \"oslo.message\": \"{\\\"a\\\": 1\"}".getBytes(StandardCharsets.UTF_8)));
        assertThrows(DecodeException.class, () -> codec.decode(
                "{\"oslo.version\": \"2.0\", \"oslo.message\": \"{}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    @DisplayName("reads an enveloped message and a bare (version 1) message alike")
    void decodesBoth() {
        ObjectNode m = codec.newMessage();
        m.put("method", "add");
        assertEquals(m, codec.decode(codec.encode(m, true)));
        assertEquals(m, codec.decode(codec.encode(m, false)));
    }

    @Test
    @DisplayName("refuses bodies that are not JSON objects and envelopes of another major version")
    void refusesGarbage() {
        for (String bad : List.of("{not json", "[1, 2]", "\"text\"", "", "{\"oslo.version\": \"3.0\", \"oslo.message\": \"{}\"}",
                "{\"oslo.version\": \"2.0\", \"oslo.message\": 7}", "{\"oslo.version\": \"2.0\", \"oslo.message\": \"[]\"}")) {
            assertThrows(DecodeException.class, () -> codec.decode(bad.getBytes(StandardCharsets.UTF_8)), bad);
        }
    }

    @Test
    @DisplayName("packs the context as _context_ fields and unpacks them, removing them from the message")
    void context() {
        ObjectNode m = codec.newMessage();
        m.put("method", "x");
        Context ctx = Context.empty().with("user_id", "u").with("roles", List.of("a")).with("domain", null);
        codec.packContext(m, ctx);
        assertEquals("u", m.get("_context_user_id").asText());
        assertEquals(ctx, codec.unpackContext(m));
        assertEquals(1, m.size());
        assertTrue(m.has("method"));
    }

    @Test
    @DisplayName("unique ids are 32 hex digits, as Python's uuid4().hex")
    void ids() {
        String id = OsloCodec.newId();
        assertTrue(id.matches("[0-9a-f]{32}"), id);
    }

    @Test
    @DisplayName("message ids are random version 4 UUIDs in str(uuid4())'s form, none repeated")
    void uuids() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = OsloCodec.newUuid();
            assertTrue(id.matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"), id);
            UUID uuid = UUID.fromString(id);
            assertEquals(4, uuid.version(), id);
            assertEquals(2, uuid.variant(), id);
            assertTrue(seen.add(id), id);
        }
    }

    @Test
    @DisplayName("a context masks credentials when printed")
    void contextMasksSecrets() {
        Context ctx = Context.of(Map.of("auth_token", "s3cr3t", "user", "u"));
        assertTrue(!ctx.toString().contains("s3cr3t") && ctx.toString().contains("user=u"), ctx.toString());
    }
}
