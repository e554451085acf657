package io.seedmq.messaging.serialization;

import io.seedmq.messaging.ContentDisallowedException;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The serializers a connection knows, by name and by content type. Thread-safe; registering is
 * rare and lookups are lock-free. Every connection starts with {@code json}, {@code text} and
 * {@code bytes}.
 *
 * <p>When a publish names no serializer, the payload chooses, as kombu does: {@code byte[]} and
 * {@link ByteBuffer} go raw, character sequences as text, everything else as JSON.
 */
public final class SerializerRegistry {

    private final Map<String, Serializer> byName = new ConcurrentHashMap<>();
    private final Map<String, Serializer> byContentType = new ConcurrentHashMap<>();

    private SerializerRegistry() {
    }

    /** @return a new registry holding {@code json}, {@code text} and {@code bytes} */
    public static SerializerRegistry defaults() {
        SerializerRegistry registry = new SerializerRegistry();
        registry.register(new JsonSerializer());
        registry.register(new TextSerializer());
        BytesSerializer bytes = new BytesSerializer();
        registry.register(bytes);
        registry.alias("application/data", bytes);
        registry.alias("application/x-binary", bytes);
        return registry;
    }

    /**
     * Adds or replaces a serializer under its name and content type.
     *
     * @param serializer the serializer
     * @return this registry
     */
    public SerializerRegistry register(Serializer serializer) {
        Objects.requireNonNull(serializer, "serializer");
        byName.put(serializer.name(), serializer);
        byContentType.put(normalize(serializer.contentType()), serializer);
        return this;
    }

    /**
     * Makes a further content type decode with a serializer.
     *
     * @param contentType the content type
     * @param serializer the serializer that reads it
     * @return this registry
     */
    public SerializerRegistry alias(String contentType, Serializer serializer) {
        byContentType.put(normalize(contentType), Objects.requireNonNull(serializer, "serializer"));
        return this;
    }

    /**
     * @param name a serializer name
     * @return the serializer
     * @throws IllegalArgumentException if none has that name; the message lists the known names
     */
    public Serializer byName(String name) {
        Serializer s = byName.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no serializer named '" + name + "' (known: " + byName.keySet() + ")");
        }
        return s;
    }

    /**
     * @param contentType a content type, parameters such as {@code ; charset=utf-8} allowed
     * @return the serializer that reads it
     * @throws ContentDisallowedException if no serializer reads it
     */
    public Serializer byContentType(String contentType) {
        Serializer s = contentType == null ? null : byContentType.get(normalize(contentType));
        if (s == null) {
            throw new ContentDisallowedException("no serializer for content type '" + contentType
                    + "' (known: " + byContentType.keySet() + ")");
        }
        return s;
    }

    /**
     * @param contentType a content type
     * @return whether some serializer reads it
     */
    public boolean knows(String contentType) {
        return contentType != null && byContentType.containsKey(normalize(contentType));
    }

    /**
     * @param payload a payload published without a named serializer
     * @return the serializer kombu's rules choose for it
     */
    public Serializer forPayload(Object payload) {
        if (payload instanceof byte[] || payload instanceof ByteBuffer) {
            return byName("bytes");
        }
        if (payload instanceof CharSequence) {
            return byName("text");
        }
        return byName("json");
    }

    /**
     * Resolves an accept-list entry, which may be a serializer name ({@code json}) or a content type.
     *
     * @param nameOrContentType the entry
     * @return the content type it stands for, normalized
     */
    public String contentTypeOf(String nameOrContentType) {
        Serializer s = byName.get(nameOrContentType);
        return s != null ? normalize(s.contentType()) : normalize(nameOrContentType);
    }

    /** @return the content types some serializer reads */
    public Set<String> contentTypes() {
        return Set.copyOf(byContentType.keySet());
    }

    /**
     * @param contentType a content type, possibly with parameters
     * @return it in lower case, without parameters
     */
    public static String normalize(String contentType) {
        int semi = contentType.indexOf(';');
        return (semi >= 0 ? contentType.substring(0, semi) : contentType).trim().toLowerCase(Locale.ROOT);
    }
}
