package io.seedmq.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The properties that travel with a message body: AMQP 0-9-1's basic properties. An immutable
 * value; absent properties are {@code null}. Header values may be strings, numbers, booleans,
 * byte arrays, lists and maps of those, as AMQP field tables allow; they are received as the same
 * Java types on every transport (a string header is a {@code String}, a nested table a {@code Map}).
 *
 * @param contentType MIME type of the body ({@code application/json}, {@code text/plain}, ...)
 * @param contentEncoding character set or encoding of the body ({@code utf-8}, {@code binary})
 * @param headers application headers, never {@code null}
 * @param persistent whether the broker writes the message to disk (delivery mode 2) in a durable queue
 * @param priority message priority, honoured by queues with {@code x-max-priority}
 * @param correlationId ties a reply to its request
 * @param replyTo the queue a reply should go to
 * @param expiration per-message time-to-live
 * @param messageId application message identifier
 * @param timestamp when the message was created (AMQP carries whole seconds)
 * @param type application message type name
 * @param userId the authenticated user that published (validated by RabbitMQ when set)
 * @param appId the publishing application
 */
public record MessageProperties(String contentType, String contentEncoding, Map<String, Object> headers,
                                boolean persistent, Integer priority, String correlationId, String replyTo,
                                Duration expiration, String messageId, Instant timestamp, String type,
                                String userId, String appId) {

    /** Properties with nothing set and a transient delivery mode. */
    public static final MessageProperties EMPTY = builder().persistent(false).build();

    /** Copies the headers, keeping their order. */
    public MessageProperties {
        headers = headers == null || headers.isEmpty()
                ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        if (priority != null && (priority < 0 || priority > 255)) {
            throw new IllegalArgumentException("priority must be between 0 and 255: " + priority);
        }
        if (expiration != null && expiration.isNegative()) {
            throw new IllegalArgumentException("expiration must not be negative: " + expiration);
        }
    }

    /** @return a builder for persistent messages with nothing else set */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding these properties */
    public Builder toBuilder() {
        return new Builder().contentType(contentType).contentEncoding(contentEncoding).headers(headers)
                .persistent(persistent).priority(priority).correlationId(correlationId).replyTo(replyTo)
                .expiration(expiration).messageId(messageId).timestamp(timestamp).type(type)
                .userId(userId).appId(appId);
    }

    /** Builds {@link MessageProperties}. Not thread-safe; the built value is. */
    public static final class Builder {
        private String contentType;
        private String contentEncoding;
        private final Map<String, Object> headers = new LinkedHashMap<>();
        private boolean persistent = true;
        private Integer priority;
        private String correlationId;
        private String replyTo;
        private Duration expiration;
        private String messageId;
        private Instant timestamp;
        private String type;
        private String userId;
        private String appId;

        private Builder() {
        }

        /**
         * @param v MIME type
         * @return this
         */
        public Builder contentType(String v) {
            contentType = v;
            return this;
        }

        /**
         * @param v content encoding
         * @return this
         */
        public Builder contentEncoding(String v) {
            contentEncoding = v;
            return this;
        }

        /**
         * @param v headers to add (replacing same-named ones)
         * @return this
         */
        public Builder headers(Map<String, ?> v) {
            if (v != null) {
                headers.putAll(v);
            }
            return this;
        }

        /**
         * @param key header name
         * @param value header value
         * @return this
         */
        public Builder header(String key, Object value) {
            headers.put(key, value);
            return this;
        }

        /**
         * @param v persistent (delivery mode 2, the default) or transient (1)
         * @return this
         */
        public Builder persistent(boolean v) {
            persistent = v;
            return this;
        }

        /**
         * @param v priority 0-255, or null
         * @return this
         */
        public Builder priority(Integer v) {
            priority = v;
            return this;
        }

        /**
         * @param v correlation id
         * @return this
         */
        public Builder correlationId(String v) {
            correlationId = v;
            return this;
        }

        /**
         * @param v reply queue
         * @return this
         */
        public Builder replyTo(String v) {
            replyTo = v;
            return this;
        }

        /**
         * @param v per-message TTL
         * @return this
         */
        public Builder expiration(Duration v) {
            expiration = v;
            return this;
        }

        /**
         * @param v message id
         * @return this
         */
        public Builder messageId(String v) {
            messageId = v;
            return this;
        }

        /**
         * @param v timestamp
         * @return this
         */
        public Builder timestamp(Instant v) {
            timestamp = v;
            return this;
        }

        /**
         * @param v type name
         * @return this
         */
        public Builder type(String v) {
            type = v;
            return this;
        }

        /**
         * @param v user id
         * @return this
         */
        public Builder userId(String v) {
            userId = v;
            return this;
        }

        /**
         * @param v application id
         * @return this
         */
        public Builder appId(String v) {
            appId = v;
            return this;
        }

        /** @return the properties */
        public MessageProperties build() {
            return new MessageProperties(contentType, contentEncoding, headers, persistent, priority,
                    correlationId, replyTo, expiration, messageId, timestamp, type, userId, appId);
        }
    }
}
