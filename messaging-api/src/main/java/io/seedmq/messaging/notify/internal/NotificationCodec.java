package io.seedmq.messaging.notify.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.seedmq.messaging.DecodeException;
import io.seedmq.messaging.EncodeException;
import io.seedmq.messaging.notify.Notification;
import io.seedmq.messaging.notify.Priority;
import io.seedmq.messaging.oslo.Context;
import io.seedmq.messaging.oslo.internal.OsloCodec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A notification to and from its oslo message: the fields in the order oslo's Notifier writes
 * them ({@code message_id}, {@code publisher_id}, {@code event_type}, {@code priority},
 * {@code payload}, {@code timestamp}), then {@code _unique_id} and the {@code _context_*} fields, as
 * oslo's AMQP driver adds them. Thread-safe.
 */
public final class NotificationCodec {

    private static final String MESSAGE_ID = "message_id";
    private static final String PUBLISHER_ID = "publisher_id";
    private static final String EVENT_TYPE = "event_type";
    private static final String PRIORITY = "priority";
    private static final String PAYLOAD = "payload";
    private static final String TIMESTAMP = "timestamp";

    private final OsloCodec codec;

    /** @param mapper converts payloads and context values */
    public NotificationCodec(ObjectMapper mapper) {
        this.codec = new OsloCodec(mapper);
    }

    /**
     * @param notification the notification (its metadata gives {@code message_id} and {@code timestamp})
     * @param envelope whether to wrap it in the 2.0 envelope ({@code messagingv2}) or not ({@code messaging})
     * @return the body, with a fresh {@code _unique_id}
     */
    public byte[] encode(Notification notification, boolean envelope) {
        return codec.encode(toMessage(notification), envelope);
    }

    /**
     * @param notification the notification
     * @return its inner oslo message, with a fresh {@code _unique_id}
     */
    public ObjectNode toMessage(Notification notification) {
        ObjectNode m = codec.newMessage();
        m.put(MESSAGE_ID, notification.messageId());
        m.put(PUBLISHER_ID, notification.publisherId());
        m.put(EVENT_TYPE, notification.eventType());
        m.put(PRIORITY, notification.priority().wireName());
        m.set(PAYLOAD, notification.payload());
        Object timestamp = notification.metadata().get(Notification.TIMESTAMP);
        m.put(TIMESTAMP, timestamp == null ? null : timestamp.toString());
        m.put(OsloCodec.UNIQUE_ID, OsloCodec.newId());
        codec.packContext(m, notification.context());
        return m;
    }

    /**
     * Reads a received body, with or without the 2.0 envelope.
     *
     * @param body the body
     * @return the notification
     * @throws DecodeException if the body is not an oslo message or its priority is none of the seven
     */
    public Notification decode(byte[] body) {
        ObjectNode m = codec.decode(body);
        Context context = codec.unpackContext(m);
        JsonNode priorityField = m.get(PRIORITY);
        String priorityName = priorityField == null || !priorityField.isTextual() ? null : priorityField.textValue();
        Priority priority = Priority.parse(priorityName).orElseThrow(() ->
                new DecodeException("not a notification: unknown priority " + (priorityName == null ? "(none)" : "'" + priorityName + "'")));
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put(Notification.MESSAGE_ID, text(m, MESSAGE_ID));
        metadata.put(Notification.TIMESTAMP, text(m, TIMESTAMP));
        return Notification.of(priority, text(m, PUBLISHER_ID), text(m, EVENT_TYPE), m.get(PAYLOAD), context, metadata,
                codec.mapper());
    }

    /**
     * @param priority the priority
     * @param publisherId the publisher
     * @param eventType the event type
     * @param payload the payload, any value the mapper writes
     * @param context the context to send
     * @param messageId the {@code message_id}
     * @param timestamp the {@code timestamp}
     * @return the notification as it will be sent
     * @throws DecodeException if the payload cannot be written as JSON
     */
    public Notification create(Priority priority, String publisherId, String eventType, Object payload, Context context,
                               String messageId, String timestamp) {
        JsonNode tree;
        try {
            tree = codec.toTree(payload);
        } catch (IllegalArgumentException e) {
            throw new EncodeException("notification payload cannot be written as JSON: " + e.getMessage(), e);
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put(Notification.MESSAGE_ID, messageId);
        metadata.put(Notification.TIMESTAMP, timestamp);
        return Notification.of(priority, publisherId, eventType, tree, context, metadata, codec.mapper());
    }

    /**
     * @param message an inner oslo message
     * @return it as JSON text, as oslo's log driver writes it
     */
    public String toJson(ObjectNode message) {
        return new String(codec.encode(message, false), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String text(ObjectNode m, String field) {
        JsonNode v = m.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
