package io.seedmq.messaging.oslo.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.BooleanSerializer;
import com.fasterxml.jackson.databind.ser.std.ByteArraySerializer;
import com.fasterxml.jackson.databind.ser.std.NumberSerializers;
import com.fasterxml.jackson.databind.ser.std.StdKeySerializers;
import com.fasterxml.jackson.databind.ser.std.StringSerializer;
import io.seedmq.messaging.DecodeException;
import io.seedmq.messaging.EncodeException;
import io.seedmq.messaging.Publish;
import io.seedmq.messaging.oslo.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Encodes and decodes oslo.messaging messages as its rabbit driver does.
 *
 * <p>Version 2.0 wraps the message in an envelope, {@code {"oslo.version": "2.0", "oslo.message":
 * "<the message as a JSON string>"}}; version 1 sends the message itself. JSON is written the way
 * Python's {@code json.dumps} writes it ({@code ", "} and {@code ": "} separators, non-ASCII
 * escaped), so the bytes match what a Python peer would send for the same message.
 *
 * <p>Thread-safe; one instance per JSON mapper.
 */
public final class OsloCodec {

    /** oslo's default control exchange. */
    public static final String CONTROL_EXCHANGE = "openstack";
    /** The envelope's version field. */
    public static final String VERSION_KEY = "oslo.version";
    /** The envelope's message field. */
    public static final String MESSAGE_KEY = "oslo.message";
    /** The envelope version seedmq writes and reads. */
    public static final String ENVELOPE_VERSION = "2.0";
    /** The field holding a message's unique id, used to drop duplicates. */
    public static final String UNIQUE_ID = "_unique_id";
    /** The prefix of a context entry's field. */
    public static final String CONTEXT_PREFIX = "_context_";
    /** The content type oslo messages carry. */
    public static final String CONTENT_TYPE = "application/json";
    /** The content encoding oslo messages carry. */
    public static final String CONTENT_ENCODING = "utf-8";

    /** What a 2.0 envelope holds before the escaped message, as {@link #encode} writes it. */
    private static final byte[] ENVELOPE_HEAD = ("{\"" + VERSION_KEY + "\": \"" + ENVELOPE_VERSION + "\", \""
            + MESSAGE_KEY + "\": \"").getBytes(StandardCharsets.US_ASCII);
    /** What follows the escaped message. */
    private static final byte[] ENVELOPE_TAIL = {'"', '}'};

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final ObjectMapper mapper;
    private final ObjectWriter writer;
    /** Whether {@link #toTree} may build strings, ints, longs, booleans, byte arrays and maps of them itself. */
    private final boolean plainScalars;

    /** @param mapper the mapper that converts payloads, arguments and results */
    public OsloCodec(ObjectMapper mapper) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.writer = mapper.writer(new PythonJsonPrinter()).with(JsonWriteFeature.ESCAPE_NON_ASCII)
                .without(JsonWriteFeature.WRITE_HEX_UPPER_CASE);
        this.plainScalars = writesScalarsPlainly(mapper);
    }

    /**
     * @return whether the mapper writes strings, ints, longs, booleans, byte arrays and string-keyed
     *     maps of them with Jackson's standard serializers, every map entry included in insertion order: then
     *     {@link #toTree} builds the same tree as {@code valueToTree} without its token buffer
     */
    private static boolean writesScalarsPlainly(ObjectMapper mapper) {
        try {
            SerializerProvider provider = mapper.getSerializerProviderInstance();
            JsonInclude.Value inclusion = mapper.getSerializationConfig().getDefaultPropertyInclusion(Map.class);
            return provider.findValueSerializer(String.class).getClass() == StringSerializer.class
                    && provider.findValueSerializer(Integer.class).getClass() == NumberSerializers.IntegerSerializer.class
                    && provider.findValueSerializer(Long.class).getClass() == NumberSerializers.LongSerializer.class
                    && provider.findValueSerializer(Boolean.class).getClass() == BooleanSerializer.class
                    && provider.findValueSerializer(byte[].class).getClass() == ByteArraySerializer.class
                    && provider.findKeySerializer(String.class, null).getClass()
                            == StdKeySerializers.StringKeySerializer.class
                    && !mapper.isEnabled(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                    && plainInclusion(inclusion.getValueInclusion()) && plainInclusion(inclusion.getContentInclusion());
        } catch (JsonMappingException | RuntimeException e) {
            return false;
        }
    }

    private static boolean plainInclusion(JsonInclude.Include include) {
        return include == JsonInclude.Include.ALWAYS || include == JsonInclude.Include.USE_DEFAULTS;
    }

    /**
     * Converts a value to a tree, as {@code mapper.valueToTree} does. Arguments, results and
     * payloads are mostly strings, numbers, binary data and maps of them: those are built directly, without serializing
     * into a token buffer and reading that back (the tree, and so the wire, is the same).
     *
     * @param value the value
     * @return its tree
     * @throws IllegalArgumentException when the mapper cannot write it
     */
    public JsonNode toTree(Object value) {
        if (plainScalars) {
            JsonNode plain = plainTree(value);
            if (plain != null) {
                return plain;
            }
        }
        return mapper.valueToTree(value);
    }

    private JsonNode plainTree(Object value) {
        JsonNodeFactory nodes = mapper.getNodeFactory();
        if (value instanceof String s) {
            return nodes.textNode(s);
        }
        if (value instanceof Integer i) {
            return nodes.numberNode(i.intValue());
        }
        if (value instanceof Long l) {
            return nodes.numberNode(l.longValue());
        }
        if (value instanceof Boolean b) {
            return nodes.booleanNode(b);
        }
        if (value instanceof byte[] bytes) {
            // A copy, as valueToTree's token buffer makes: the caller may reuse its array.
            return nodes.binaryNode(bytes.clone());
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = nodes.objectNode();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                JsonNode v = e.getKey() instanceof String ? plainTree(e.getValue()) : null;
                if (v == null) {
                    return null;
                }
                object.set((String) e.getKey(), v);
            }
            return object;
        }
        return null;
    }

    /** @return the mapper this codec converts values with */
    public ObjectMapper mapper() {
        return mapper;
    }

    /** @return a new, empty message */
    public ObjectNode newMessage() {
        return mapper.createObjectNode();
    }

    /**
     * @return a fresh unique id: 128 random bits as 32 hex digits, the form of oslo's
     *     {@code uuid4().hex}. The ids only need to be unique, not secret, so they come from
     *     {@link ThreadLocalRandom} rather than the blocking, locked {@code SecureRandom} behind
     *     {@code UUID.randomUUID()}; three are made per RPC call.
     */
    public static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        byte[] digits = new byte[32];
        hex(random.nextLong(), digits, 0);
        hex(random.nextLong(), digits, 16);
        return new String(digits, StandardCharsets.ISO_8859_1);
    }

    /**
     * @return a fresh random (version 4) UUID in its 36-character text form, as Python's
     *     {@code str(uuid.uuid4())}: a notification's {@code message_id}. Like {@link #newId}, it
     *     only needs to be unique, not unguessable, so its 122 random bits come from
     *     {@link ThreadLocalRandom} instead of {@code UUID.randomUUID()}'s {@code SecureRandom},
     *     which takes a lock and may block for entropy on every notification.
     */
    public static String newUuid() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xf000L) | 0x4000L;
        long low = (random.nextLong() & ~(0xcL << 60)) | (0x8L << 60);
        return new UUID(high, low).toString();
    }

    private static void hex(long bits, byte[] into, int at) {
        for (int i = at + 15; i >= at; i--) {
            into[i] = HEX[(int) bits & 0xf];
            bits >>>= 4;
        }
    }

    /**
     * Serializes a message for the wire.
     *
     * @param message the inner message
     * @param envelope whether to wrap it in the 2.0 envelope (oslo's default for RPC and
     *     {@code messagingv2} notifications)
     * @return the body bytes, UTF-8 JSON
     */
    public byte[] encode(ObjectNode message, boolean envelope) {
        try {
            if (!envelope) {
                return writer.writeValueAsBytes(message);
            }
            EnvelopeOutput direct = new EnvelopeOutput();
            writer.writeValue(direct, message);
            byte[] body = direct.body();
            if (body != null) {
                return body;
            }
            Map<String, String> outer = new LinkedHashMap<>();
            outer.put(VERSION_KEY, ENVELOPE_VERSION);
            outer.put(MESSAGE_KEY, new String(writer.writeValueAsBytes(message), StandardCharsets.UTF_8));
            return writer.writeValueAsBytes(outer);
        } catch (JsonProcessingException e) {
            throw new EncodeException("cannot serialize oslo message: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new EncodeException("cannot serialize oslo message: " + e.getMessage(), e);
        }
    }

    /**
     * Where {@link #encode} writes the inner message: straight into the envelope's body, escaped
     * as it comes, without the inner bytes, a string, a map and a second pass through the
     * serializer. The inner JSON is written with non-ASCII escaped and never holds a raw control
     * character, so escaping it as a JSON string only means a backslash before each quote and
     * backslash: exactly what the serializer writes for the same string (the wire bytes are pinned
     * by OsloCodecTest). Any other byte makes {@link #body} answer {@code null}, and the envelope
     * is then left to the serializer.
     */
    private static final class EnvelopeOutput extends OutputStream {
        private byte[] buffer = new byte[512];
        private int length;
        private boolean plain = true;

        EnvelopeOutput() {
            System.arraycopy(ENVELOPE_HEAD, 0, buffer, 0, ENVELOPE_HEAD.length);
            length = ENVELOPE_HEAD.length;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int count) {
            if (!plain) {
                return;
            }
            if (buffer.length - length < 2 * count + ENVELOPE_TAIL.length) {
                buffer = Arrays.copyOf(buffer, Math.max(2 * buffer.length, length + 2 * count + ENVELOPE_TAIL.length));
            }
            for (int i = offset; i < offset + count; i++) {
                byte b = bytes[i];
                if (b < 0x20 || b > 0x7e) {
                    plain = false;
                    return;
                }
                if (b == '"' || b == '\\') {
                    buffer[length++] = '\\';
                }
                buffer[length++] = b;
            }
        }

        /** @return the envelope, or {@code null} if the inner text held a byte this path does not escape */
        byte[] body() {
            if (!plain) {
                return null;
            }
            byte[] body = Arrays.copyOf(buffer, length + ENVELOPE_TAIL.length);
            System.arraycopy(ENVELOPE_TAIL, 0, body, length, ENVELOPE_TAIL.length);
            return body;
        }
    }

    /**
     * @param value a JSON value
     * @return it as JSON text written as Python writes it (oslo nests JSON in strings: the
     *     envelope's message, a reply's failure)
     */
    public String write(JsonNode value) {
        try {
            return writer.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new EncodeException("cannot serialize JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Reads a body: the inner message of a 2.0 envelope, or the body itself when it carries no
     * envelope (version 1).
     *
     * @param body the body bytes
     * @return the inner message, a fresh mutable object
     * @throws DecodeException when the body is not a JSON object, the envelope's major version is
     *     not 2, or the inner message is not a JSON object
     */
    public ObjectNode decode(byte[] body) {
        byte[] enveloped = envelopedMessage(body);
        if (enveloped != null) {
            return (ObjectNode) readObject(enveloped, "oslo.message");
        }
        JsonNode outer = readObject(body == null ? new byte[0] : body, "message body");
        JsonNode version = outer.get(VERSION_KEY);
        if (version == null) {
            return (ObjectNode) outer;
        }
        String v = version.asText();
        if (!v.equals("2") && !v.startsWith("2.")) {
            throw new DecodeException("unsupported oslo envelope version " + v);
        }
        JsonNode inner = outer.get(MESSAGE_KEY);
        if (inner == null || !inner.isTextual()) {
            throw new DecodeException("oslo envelope without a textual " + MESSAGE_KEY);
        }
        return (ObjectNode) readObject(inner.textValue(), "oslo.message");
    }

    /**
     * Reads the common body, an object of exactly a 2.x version and a textual message: byte by
     * byte when it is laid out as {@link #encode} and Python write it, otherwise with a streaming
     * parser, rather than into a tree that is thrown away at once.
     *
     * @return the inner message's UTF-8 text, or {@code null} when the body is anything else (no
     *     envelope, another version, more fields, invalid JSON), which {@link #decode} then reads
     *     the general way, with the same answers and errors as before
     */
    private byte[] envelopedMessage(byte[] body) {
        if (body == null) {
            return null;
        }
        if (Arrays.equals(body, 0, Math.min(body.length, ENVELOPE_HEAD.length), ENVELOPE_HEAD, 0, ENVELOPE_HEAD.length)
                && body.length >= ENVELOPE_HEAD.length + ENVELOPE_TAIL.length && body[body.length - 1] == '}') {
            // The envelope exactly as seedmq and Python's json.dumps write it: no parser needed for it.
            byte[] inner = unescaped(body, ENVELOPE_HEAD.length - 1, body.length - 2);
            if (inner != null) {
                return inner;
            }
        }
        String version = null;
        byte[] message = null;
        try (JsonParser p = mapper.getFactory().createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (p.nextToken() != JsonToken.VALUE_STRING) {
                    return null;
                }
                if (VERSION_KEY.equals(name) && version == null) {
                    version = p.getText();
                } else if (MESSAGE_KEY.equals(name) && message == null) {
                    message = unescaped(body, p.currentTokenLocation().getByteOffset(), -1);
                    if (message == null) {
                        message = p.getText().getBytes(StandardCharsets.UTF_8);
                    }
                } else {
                    return null;
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                return null;
            }
        } catch (IOException e) {
            return null;
        }
        if (version == null || message == null || !(version.equals("2") || version.startsWith("2."))) {
            return null;
        }
        return message;
    }

    /**
     * Copies a JSON string's content out of the body as UTF-8 bytes, so the inner message is
     * parsed from bytes rather than decoded into a {@code String} first. An enveloped message
     * escapes only quotes and backslashes (its own JSON escapes non-ASCII and has no control
     * characters), whether seedmq or Python wrote it; any other escape is left to the parser.
     *
     * @param body the body
     * @param at where the string's opening quote is
     * @param closeAt where its closing quote must be, or -1 for wherever it is
     * @return the content, or {@code null} when it holds another escape, {@code at} is not a quote
     *     or the string does not close at {@code closeAt}
     */
    private static byte[] unescaped(byte[] body, long at, int closeAt) {
        if (at < 0 || at >= body.length || body[(int) at] != '"') {
            return null;
        }
        int from = (int) at + 1;
        int end = from;
        int escapes = 0;
        while (true) {
            if (end == body.length) {
                return null;
            }
            byte b = body[end];
            if (b == '"') {
                if (closeAt >= 0 && end != closeAt) {
                    return null;
                }
                break;
            }
            if (b == '\\') {
                if (++end == body.length || (body[end] != '"' && body[end] != '\\')) {
                    return null;
                }
                escapes++;
            } else if (b >= 0 && b < 0x20) {
                return null;
            }
            end++;
        }
        byte[] out = new byte[end - from - escapes];
        int n = 0;
        for (int i = from; i < end; i++) {
            if (body[i] == '\\') {
                i++;
            }
            out[n++] = body[i];
        }
        return out;
    }

    private JsonNode readObject(byte[] json, String what) {
        return readObject(() -> mapper.readTree(json), what);
    }

    private JsonNode readObject(String json, String what) {
        return readObject(() -> mapper.readTree(json), what);
    }

    /** A parse that may fail with an {@link IOException}. */
    @FunctionalInterface
    private interface Parse {
        JsonNode run() throws IOException;
    }

    private static JsonNode readObject(Parse parse, String what) {
        JsonNode node;
        try {
            node = parse.run();
        } catch (IOException e) {
            throw new DecodeException(what + " is not valid JSON: " + e.getMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new DecodeException(what + " is not a JSON object");
        }
        return node;
    }

    /**
     * Adds the context's entries as {@code _context_<key>} fields.
     *
     * @param message the message to add to
     * @param context the context
     */
    public void packContext(ObjectNode message, Context context) {
        context.asMap().forEach((k, v) -> message.set(CONTEXT_PREFIX + k, toTree(v)));
    }

    /**
     * Removes the {@code _context_<key>} fields from a message and returns them as a context.
     *
     * @param message a received message; its context fields are removed
     * @return the context it carried
     */
    public Context unpackContext(ObjectNode message) {
        Map<String, Object> values = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = message.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().startsWith(CONTEXT_PREFIX)) {
                values.put(field.getKey().substring(CONTEXT_PREFIX.length()),
                        mapper.convertValue(field.getValue(), Object.class));
                fields.remove();
            }
        }
        return Context.of(values);
    }

    /**
     * @param template where to send it
     * @return the template with the properties oslo messages carry: JSON, UTF-8, persistent
     */
    public static Publish properties(Publish template) {
        return template.contentType(CONTENT_TYPE, CONTENT_ENCODING).persistent(true);
    }

    /** Python's {@code json.dumps} layout on one line: {@code ", "} and {@code ": "}. */
    private static final class PythonJsonPrinter extends MinimalPrettyPrinter {
        private static final long serialVersionUID = 1L;

        @Override
        public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(": ");
        }

        @Override
        public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
            g.writeRaw(", ");
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(", ");
        }
    }
}
