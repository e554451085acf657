package io.seedmq.messaging.serialization;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.seedmq.messaging.DecodeException;
import io.seedmq.messaging.EncodeException;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Objects;

/**
 * JSON through Jackson, as kombu's {@code json} serializer: content type
 * {@code application/json}, UTF-8. Decoding goes only into the type the caller names; the mapper
 * has no default typing, so a message can never choose which class gets instantiated. Unknown
 * properties are ignored, so producers may add fields without breaking older consumers.
 */
public final class JsonSerializer implements Serializer {

    /** The content type written. */
    public static final String CONTENT_TYPE = "application/json";

    /**
     * seedmq's shared mapper, built when first used (the holder idiom): building it loads much of
     * Jackson, about a quarter of a second in a fresh JVM, which every connection paid on open (its
     * registry holds a JSON serializer) even when it never sent JSON.
     */
    private static final class DefaultMapper {
        static final ObjectMapper INSTANCE = JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .disable(MapperFeature.DEFAULT_VIEW_INCLUSION)
                .build();
    }

    /** The application's mapper, or {@code null} for the shared {@link DefaultMapper}. */
    private final ObjectMapper own;

    /** A serializer on seedmq's shared mapper. */
    public JsonSerializer() {
        this.own = null;
    }

    /**
     * @param mapper a mapper configured by the application (for example with the JSR-310 module);
     *     it must not enable default typing
     */
    public JsonSerializer(ObjectMapper mapper) {
        this.own = Objects.requireNonNull(mapper, "mapper");
    }

    /** @return seedmq's shared, configured mapper; do not reconfigure it */
    public static ObjectMapper defaultMapper() {
        return DefaultMapper.INSTANCE;
    }

    /** @return the mapper this serializer uses */
    public ObjectMapper mapper() {
        return own != null ? own : DefaultMapper.INSTANCE;
    }

    @Override
    public String name() {
        return "json";
    }

    @Override
    public String contentType() {
        return CONTENT_TYPE;
    }

    @Override
    public String contentEncoding() {
        return "utf-8";
    }

    @Override
    public byte[] encode(Object payload) {
        try {
            return mapper().writeValueAsBytes(payload);
        } catch (IOException e) {
            throw new EncodeException("cannot encode " + typeName(payload) + " as JSON: " + originalMessage(e), e);
        }
    }

    @Override
    public <T> T decode(byte[] body, Type type) {
        ObjectMapper mapper = mapper();
        JavaType javaType = mapper.getTypeFactory().constructType(type);
        try {
            return mapper.readValue(body, javaType);
        } catch (IOException e) {
            throw new DecodeException("cannot decode a JSON body of " + body.length + " bytes into "
                    + javaType.toCanonical() + ": " + originalMessage(e), e);
        }
    }

    private static String originalMessage(IOException e) {
        return e instanceof com.fasterxml.jackson.core.JacksonException je ? je.getOriginalMessage() : e.getMessage();
    }

    private static String typeName(Object payload) {
        return payload == null ? "null" : payload.getClass().getName();
    }
}
