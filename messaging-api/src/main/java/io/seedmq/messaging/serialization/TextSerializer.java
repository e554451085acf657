package io.seedmq.messaging.serialization;

import io.seedmq.messaging.DecodeException;
import io.seedmq.messaging.EncodeException;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;

/**
 * Plain UTF-8 text: content type {@code text/plain}, encoding {@code utf-8}. What kombu sends for
 * a Python {@code str} published without a serializer. Encodes any {@link CharSequence}; decodes
 * into {@link String} (or {@link Object}, {@link CharSequence}).
 */
public final class TextSerializer implements Serializer {

    /** The content type written. */
    public static final String CONTENT_TYPE = "text/plain";

    /** Creates the serializer; it holds no state, so one instance serves every thread. */
    public TextSerializer() {
    }

    @Override
    public String name() {
        return "text";
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
        if (!(payload instanceof CharSequence text)) {
            throw new EncodeException("the text serializer encodes character sequences, not "
                    + (payload == null ? "null" : payload.getClass().getName()));
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T decode(byte[] body, Type type) {
        if (type == String.class || type == Object.class || type == CharSequence.class) {
            try {
                // Strict, as kombu: a body that is not UTF-8 is a decode error, not text with U+FFFD in it.
                return (T) StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                        .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                        .decode(java.nio.ByteBuffer.wrap(body)).toString();
            } catch (java.nio.charset.CharacterCodingException e) {
                throw new DecodeException("a text/plain body is not valid UTF-8", e);
            }
        }
        if (type == byte[].class) {
            return (T) body;
        }
        throw new DecodeException("a text/plain body decodes to String, not " + type.getTypeName());
    }
}
