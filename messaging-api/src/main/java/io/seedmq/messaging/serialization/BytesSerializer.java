package io.seedmq.messaging.serialization;

import io.seedmq.messaging.DecodeException;
import io.seedmq.messaging.EncodeException;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Raw bytes, passed through untouched: content type {@code application/octet-stream}, encoding
 * {@code binary}. Also reads kombu's {@code application/data}. Encodes {@code byte[]} and
 * {@link ByteBuffer}; decodes into {@code byte[]} (or {@link Object}), or into {@link String} as UTF-8.
 */
public final class BytesSerializer implements Serializer {

    /** The content type written. */
    public static final String CONTENT_TYPE = "application/octet-stream";

    /** Creates the serializer; it holds no state, so one instance serves every thread. */
    public BytesSerializer() {
    }

    @Override
    public String name() {
        return "bytes";
    }

    @Override
    public String contentType() {
        return CONTENT_TYPE;
    }

    @Override
    public String contentEncoding() {
        return "binary";
    }

    @Override
    public byte[] encode(Object payload) {
        if (payload instanceof byte[] bytes) {
            return bytes;
        }
        if (payload instanceof ByteBuffer buffer) {
            ByteBuffer copy = buffer.duplicate();
            byte[] bytes = new byte[copy.remaining()];
            copy.get(bytes);
            return bytes;
        }
        throw new EncodeException("the bytes serializer encodes byte[] and ByteBuffer, not "
                + (payload == null ? "null" : payload.getClass().getName()));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T decode(byte[] body, Type type) {
        if (type == byte[].class || type == Object.class) {
            return (T) body;
        }
        if (type == String.class) {
            return (T) new String(body, StandardCharsets.UTF_8);
        }
        if (type == ByteBuffer.class) {
            return (T) ByteBuffer.wrap(body).asReadOnlyBuffer();
        }
        throw new DecodeException("a binary body decodes to byte[], ByteBuffer or String, not " + type.getTypeName());
    }
}
