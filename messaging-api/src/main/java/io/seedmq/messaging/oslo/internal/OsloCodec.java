package io.seedmq.messaging.oslo.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.seedmq.messaging.DecodeException;
import io.seedmq.messaging.EncodeException;
import io.seedmq.messaging.Publish;
import io.seedmq.messaging.oslo.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
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

    private final ObjectMapper mapper;
    private final ObjectWriter writer;

    /** @param mapper the mapper that converts payloads, arguments and results */
    public OsloCodec(ObjectMapper mapper) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.writer = mapper.writer(new PythonJsonPrinter()).with(JsonWriteFeature.ESCAPE_NON_ASCII)
                .without(JsonWriteFeature.WRITE_HEX_UPPER_CASE);
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
        return hex(random.nextLong()) + hex(random.nextLong());
    }

    private static String hex(long bits) {
        String h = Long.toHexString(bits);
        return "0".repeat(16 - h.length()) + h;
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
            Map<String, String> outer = new LinkedHashMap<>();
            outer.put(VERSION_KEY, ENVELOPE_VERSION);
            outer.put(MESSAGE_KEY, writer.writeValueAsString(message));
            return writer.writeValueAsBytes(outer);
        } catch (JsonProcessingException e) {
            throw new EncodeException("cannot serialize oslo message: " + e.getOriginalMessage(), e);
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
        return (ObjectNode) readObject(inner.textValue().getBytes(StandardCharsets.UTF_8), "oslo.message");
    }

    private JsonNode readObject(byte[] json, String what) {
        JsonNode node;
        try {
            node = mapper.readTree(json);
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
        context.asMap().forEach((k, v) -> message.set(CONTEXT_PREFIX + k, mapper.valueToTree(v)));
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
