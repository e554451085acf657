package io.seedmq.messaging.serialization;

import java.lang.reflect.Type;

/**
 * Turns payloads into message bodies and back for one content type. Implementations must be
 * thread-safe and stateless between calls.
 */
public interface Serializer {

    /** @return the short name used to choose it when publishing ({@code json}, {@code text}, {@code bytes}) */
    String name();

    /** @return the content type it writes and reads ({@code application/json}, ...) */
    String contentType();

    /** @return the content encoding it writes ({@code utf-8}, {@code binary}) */
    String contentEncoding();

    /**
     * @param payload the value to encode
     * @return the body
     * @throws io.seedmq.messaging.EncodeException if the value cannot be encoded by this serializer
     */
    byte[] encode(Object payload);

    /**
     * @param body the body
     * @param type the type to decode into; {@code Object.class} asks for the serializer's natural form
     * @param <T> the result type
     * @return the decoded value
     * @throws io.seedmq.messaging.DecodeException if the body cannot be decoded into that type
     */
    <T> T decode(byte[] body, Type type);
}
