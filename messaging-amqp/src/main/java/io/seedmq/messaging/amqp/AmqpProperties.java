package io.seedmq.messaging.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.LongString;
import io.seedmq.messaging.MessageProperties;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps {@link MessageProperties} to and from amqp-client's {@link AMQP.BasicProperties}, field for
 * field, and converts field-table values: received {@link LongString}s become {@link String}s and
 * {@link Date}s become {@link Instant}s, at any depth of nested lists and tables, so consumers never
 * see an amqp-client type.
 */
final class AmqpProperties {

    private static final int PERSISTENT = 2;
    private static final int TRANSIENT = 1;

    private AmqpProperties() {
    }

    /**
     * @param p seedmq properties
     * @return the AMQP basic properties
     * @throws IllegalArgumentException if a header value cannot travel in an AMQP field table
     */
    static AMQP.BasicProperties toAmqp(MessageProperties p) {
        return new AMQP.BasicProperties.Builder()
                .contentType(p.contentType())
                .contentEncoding(p.contentEncoding())
                .headers(p.headers().isEmpty() ? null : toTable(p.headers(), "header"))
                .deliveryMode(p.persistent() ? PERSISTENT : TRANSIENT)
                .priority(p.priority())
                .correlationId(p.correlationId())
                .replyTo(p.replyTo())
                // RabbitMQ wants the per-message TTL as a decimal string of milliseconds.
                .expiration(p.expiration() == null ? null : Long.toString(p.expiration().toMillis()))
                .messageId(p.messageId())
                .timestamp(p.timestamp() == null ? null : Date.from(p.timestamp()))
                .type(p.type())
                .userId(p.userId())
                .appId(p.appId())
                .build();
    }

    /**
     * @param p AMQP basic properties as received
     * @return seedmq properties; an absent delivery mode reads as transient
     */
    static MessageProperties fromAmqp(AMQP.BasicProperties p) {
        Map<String, Object> headers = p.getHeaders() == null ? Map.of() : fromTable(p.getHeaders());
        return new MessageProperties(p.getContentType(), p.getContentEncoding(), headers,
                p.getDeliveryMode() != null && p.getDeliveryMode() == PERSISTENT, p.getPriority(),
                p.getCorrelationId(), p.getReplyTo(), parseExpiration(p.getExpiration()), p.getMessageId(),
                p.getTimestamp() == null ? null : p.getTimestamp().toInstant(), p.getType(), p.getUserId(),
                p.getAppId());
    }

    /**
     * @param arguments declaration or binding arguments
     * @return a field table amqp-client can write
     */
    static Map<String, Object> toTable(Map<String, ?> arguments, String what) {
        Map<String, Object> table = new LinkedHashMap<>();
        arguments.forEach((k, v) -> table.put(k, toWire(v, what + " '" + k + "'")));
        return table;
    }

    private static Object toWire(Object v, String where) {
        if (v == null || v instanceof String || v instanceof Integer || v instanceof Long || v instanceof Short
                || v instanceof Byte || v instanceof Boolean || v instanceof Double || v instanceof Float
                || v instanceof BigDecimal || v instanceof byte[] || v instanceof Date || v instanceof LongString) {
            return v;
        }
        if (v instanceof Instant instant) {
            return Date.from(instant);
        }
        if (v instanceof Map<?, ?> map) {
            Map<String, Object> table = new LinkedHashMap<>();
            map.forEach((k, x) -> table.put(String.valueOf(k), toWire(x, where)));
            return table;
        }
        if (v instanceof List<?> list) {
            List<Object> array = new ArrayList<>(list.size());
            list.forEach(x -> array.add(toWire(x, where)));
            return array;
        }
        throw new IllegalArgumentException(where + " has a value of type " + v.getClass().getName()
                + ", which an AMQP field table cannot carry");
    }

    private static Map<String, Object> fromTable(Map<String, Object> table) {
        Map<String, Object> out = new LinkedHashMap<>();
        table.forEach((k, v) -> out.put(k, fromWire(v)));
        return out;
    }

    private static Object fromWire(Object v) {
        if (v instanceof LongString s) {
            return s.toString();
        }
        if (v instanceof Date d) {
            return d.toInstant();
        }
        if (v instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, x) -> out.put(String.valueOf(k), fromWire(x)));
            return out;
        }
        if (v instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(x -> out.add(fromWire(x)));
            return out;
        }
        return v;
    }

    private static Duration parseExpiration(String expiration) {
        if (expiration == null || expiration.isEmpty()) {
            return null;
        }
        try {
            return Duration.ofMillis(Long.parseLong(expiration));
        } catch (NumberFormatException e) {
            // Another client may have sent garbage; RabbitMQ would have refused it, so this is defensive.
            return null;
        }
    }
}
