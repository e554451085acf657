package io.seedmq.messaging.notify;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.seedmq.messaging.DecodeException;
import io.seedmq.messaging.notify.internal.OsloTimestamps;
import io.seedmq.messaging.oslo.Context;
import io.seedmq.messaging.serialization.JsonSerializer;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One notification as a listener receives it (and as the recording driver keeps it): priority,
 * publisher, event type, payload, the sender's context and the metadata ({@code message_id},
 * {@code timestamp}). Immutable and thread-safe; the payload tree must not be modified.
 *
 * <p>The payload is kept as a JSON tree; {@link #payload(Class)} binds it into a declared type
 * through Jackson (never with type information taken from the message).
 */
public final class Notification {

    /** Metadata key of the notification's id ({@code str(uuid4())} in oslo). */
    public static final String MESSAGE_ID = "message_id";
    /** Metadata key of the time it was sent, UTC, {@code YYYY-MM-DD HH:MM:SS.ffffff}. */
    public static final String TIMESTAMP = "timestamp";

    private final Priority priority;
    private final String publisherId;
    private final String eventType;
    private final JsonNode payload;
    private final Context context;
    private final Map<String, Object> metadata;
    private final ObjectMapper mapper;

    private Notification(Priority priority, String publisherId, String eventType, JsonNode payload,
                         Context context, Map<String, Object> metadata, ObjectMapper mapper) {
        this.priority = Objects.requireNonNull(priority, "priority");
        this.publisherId = publisherId;
        this.eventType = eventType;
        this.payload = payload == null ? NullNode.getInstance() : payload;
        this.context = Objects.requireNonNull(context, "context");
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    /**
     * @param priority the priority
     * @param publisherId who sent it ({@code null} when the message did not say)
     * @param eventType what happened ({@code null} when the message did not say)
     * @param payload the payload tree; {@code null} reads as JSON null
     * @param context the sender's context
     * @param metadata {@code message_id} and {@code timestamp}, as received
     * @return a notification binding payloads with seedmq's shared mapper
     */
    public static Notification of(Priority priority, String publisherId, String eventType, JsonNode payload,
                                  Context context, Map<String, Object> metadata) {
        return of(priority, publisherId, eventType, payload, context, metadata, JsonSerializer.defaultMapper());
    }

    /**
     * @param priority the priority
     * @param publisherId who sent it
     * @param eventType what happened
     * @param payload the payload tree
     * @param context the sender's context
     * @param metadata {@code message_id} and {@code timestamp}
     * @param mapper binds the payload in {@link #payload(Class)}
     * @return a notification
     */
    public static Notification of(Priority priority, String publisherId, String eventType, JsonNode payload,
                                  Context context, Map<String, Object> metadata, ObjectMapper mapper) {
        return new Notification(priority, publisherId, eventType, payload, context, metadata, mapper);
    }

    /** @return the priority */
    public Priority priority() {
        return priority;
    }

    /** @return who sent it, for example {@code compute.host1}; {@code null} if the message had none */
    public String publisherId() {
        return publisherId;
    }

    /** @return what happened, for example {@code compute.instance.create.end}; may be {@code null} */
    public String eventType() {
        return eventType;
    }

    /** @return the payload as a JSON tree (never {@code null}; JSON null is a {@code NullNode}); do not modify */
    public JsonNode payload() {
        return payload;
    }

    /**
     * Binds the payload into a type.
     *
     * @param type a record, a bean, {@code Map.class}, {@code String.class}...
     * @param <T> the type
     * @return the payload as that type
     * @throws DecodeException if the payload does not bind into it
     */
    public <T> T payload(Class<T> type) {
        try {
            return mapper.treeToValue(payload, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            throw new DecodeException("notification payload does not bind to " + type.getName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Binds the payload into a generic type: {@code n.payload(new TypeReference<List<Port>>() {})}.
     *
     * @param type the type
     * @param <T> the type
     * @return the payload as that type
     * @throws DecodeException if the payload does not bind into it
     */
    public <T> T payload(TypeReference<T> type) {
        try {
            return mapper.convertValue(payload, type);
        } catch (IllegalArgumentException e) {
            throw new DecodeException("notification payload does not bind to " + type.getType() + ": " + e.getMessage(), e);
        }
    }

    /** @return the sender's context (without the entries its notifier stripped) */
    public Context context() {
        return context;
    }

    /** @return {@code message_id} and {@code timestamp} as received (strings, or {@code null}); unmodifiable */
    public Map<String, Object> metadata() {
        return metadata;
    }

    /** @return the {@code message_id}, or {@code null} */
    public String messageId() {
        Object id = metadata.get(MESSAGE_ID);
        return id == null ? null : id.toString();
    }

    /** @return when it was sent, when the {@code timestamp} is in oslo's format */
    public Optional<Instant> timestamp() {
        Object t = metadata.get(TIMESTAMP);
        return t instanceof String s ? OsloTimestamps.tryParse(s) : Optional.empty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Notification n && priority == n.priority && Objects.equals(publisherId, n.publisherId)
                && Objects.equals(eventType, n.eventType) && payload.equals(n.payload) && context.equals(n.context)
                && metadata.equals(n.metadata);
    }

    @Override
    public int hashCode() {
        return Objects.hash(priority, publisherId, eventType, payload, context, metadata);
    }

    /** Context values of sensitive keys are masked; the payload is shown as JSON. */
    @Override
    public String toString() {
        return "Notification{" + priority + " " + publisherId + " " + eventType + " " + payload + ", " + context
                + ", " + metadata + "}";
    }
}
