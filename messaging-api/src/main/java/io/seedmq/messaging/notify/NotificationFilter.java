package io.seedmq.messaging.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seedmq.messaging.serialization.JsonSerializer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Which notifications an endpoint sees: oslo.messaging's {@code NotificationFilter}. Each rule is
 * a regular expression matched as Python's {@code re.match} does: <b>anchored at the start only</b>
 * ({@code "compute"} matches {@code compute.host1}); end it with {@code $} to match the whole value.
 * A notification passes when every rule matches. A rule on a field that is missing, or whose value
 * is not a string (a number, a list, null), does not match.
 *
 * <pre>{@code
 * NotificationFilter filter = NotificationFilter.builder()
 *         .publisherId("^compute\\.")
 *         .eventType("^compute\\.instance\\..*")
 *         .context("tenant_id", "^5f64")
 *         .metadata("timestamp", "^2024-")
 *         .payload("state", "^active$")
 *         .payload(Map.of("flavor", Map.of("name", "^m1\\.")))   // nested keys
 *         .build();
 * }</pre>
 *
 * Patterns use Java's syntax, which agrees with Python's for the usual constructs. Immutable and
 * thread-safe.
 */
public final class NotificationFilter {

    private static final NotificationFilter ALL = new NotificationFilter(null, null, Map.of(), Map.of(), Map.of());

    private final Pattern publisherId;
    private final Pattern eventType;
    private final Map<String, Object> context;
    private final Map<String, Object> metadata;
    private final Map<String, Object> payload;

    private NotificationFilter(Pattern publisherId, Pattern eventType, Map<String, Object> context,
                               Map<String, Object> metadata, Map<String, Object> payload) {
        this.publisherId = publisherId;
        this.eventType = eventType;
        this.context = context;
        this.metadata = metadata;
        this.payload = payload;
    }

    /** @return the filter every notification passes */
    public static NotificationFilter acceptAll() {
        return ALL;
    }

    /** @return a builder with no rules */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param notification a notification
     * @return whether every rule matches it
     */
    public boolean matches(Notification notification) {
        if (this == ALL) {
            return true;
        }
        ObjectMapper mapper = JsonSerializer.defaultMapper();
        return matchesText(publisherId, notification.publisherId())
                && matchesText(eventType, notification.eventType())
                && matchesTree(context, context.isEmpty() ? null : mapper.valueToTree(notification.context().asMap()))
                && matchesTree(metadata, metadata.isEmpty() ? null : mapper.valueToTree(notification.metadata()))
                && matchesTree(payload, notification.payload());
    }

    private static boolean matchesText(Pattern rule, String value) {
        return rule == null || value != null && rule.matcher(value).lookingAt();
    }

    @SuppressWarnings("unchecked")
    private static boolean matchesTree(Map<String, Object> rules, JsonNode data) {
        if (rules.isEmpty()) {
            return true;
        }
        if (data == null || !data.isObject()) {
            return false;
        }
        for (Map.Entry<String, Object> rule : rules.entrySet()) {
            JsonNode value = data.get(rule.getKey());
            if (value == null) {
                return false;
            }
            boolean ok = rule.getValue() instanceof Pattern p
                    ? value.isTextual() && p.matcher(value.textValue()).lookingAt()
                    : matchesTree((Map<String, Object>) rule.getValue(), value);
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        Map<String, Object> shown = new LinkedHashMap<>();
        if (publisherId != null) {
            shown.put("publisherId", publisherId);
        }
        if (eventType != null) {
            shown.put("eventType", eventType);
        }
        if (!context.isEmpty()) {
            shown.put("context", context);
        }
        if (!metadata.isEmpty()) {
            shown.put("metadata", metadata);
        }
        if (!payload.isEmpty()) {
            shown.put("payload", payload);
        }
        return "NotificationFilter" + shown;
    }

    /** Builds a {@link NotificationFilter}; patterns are compiled as they are added. Not thread-safe. */
    public static final class Builder {
        private Pattern publisherId;
        private Pattern eventType;
        private final Map<String, Object> context = new LinkedHashMap<>();
        private final Map<String, Object> metadata = new LinkedHashMap<>();
        private final Map<String, Object> payload = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * @param regex matched against the publisher id
         * @return this
         * @throws java.util.regex.PatternSyntaxException if the expression is invalid
         */
        public Builder publisherId(String regex) {
            this.publisherId = Pattern.compile(regex);
            return this;
        }

        /**
         * @param regex matched against the event type
         * @return this
         */
        public Builder eventType(String regex) {
            this.eventType = Pattern.compile(regex);
            return this;
        }

        /**
         * @param key a context entry, which must be present and a string
         * @param regex matched against its value
         * @return this
         */
        public Builder context(String key, String regex) {
            context.put(Objects.requireNonNull(key, "key"), Pattern.compile(regex));
            return this;
        }

        /**
         * @param key {@code message_id} or {@code timestamp}
         * @param regex matched against its value
         * @return this
         */
        public Builder metadata(String key, String regex) {
            metadata.put(Objects.requireNonNull(key, "key"), Pattern.compile(regex));
            return this;
        }

        /**
         * @param key a top-level payload field, which must be present and a string
         * @param regex matched against its value
         * @return this
         */
        public Builder payload(String key, String regex) {
            payload.put(Objects.requireNonNull(key, "key"), Pattern.compile(regex));
            return this;
        }

        /**
         * Adds payload rules as oslo writes them, a dict whose values are expressions or, for
         * nested fields, dicts of the same shape.
         *
         * @param rules field name to regular expression (a {@code String}) or to nested rules (a {@code Map})
         * @return this
         * @throws IllegalArgumentException if a value is neither a string nor a map
         */
        public Builder payload(Map<String, ?> rules) {
            merge(payload, compile(rules));
            return this;
        }

        /** @return the filter */
        public NotificationFilter build() {
            return new NotificationFilter(publisherId, eventType, freeze(context), freeze(metadata), freeze(payload));
        }

        private static Map<String, Object> compile(Map<String, ?> rules) {
            Map<String, Object> out = new LinkedHashMap<>();
            rules.forEach((k, v) -> {
                if (v instanceof String s) {
                    out.put(k, Pattern.compile(s));
                } else if (v instanceof Map<?, ?> m) {
                    Map<String, Object> nested = new LinkedHashMap<>();
                    m.forEach((nk, nv) -> nested.put(String.valueOf(nk), nv));
                    out.put(k, compile(nested));
                } else {
                    throw new IllegalArgumentException("payload rule for '" + k + "' must be a regex string or a map, not " + v);
                }
            });
            return out;
        }

        @SuppressWarnings("unchecked")
        private static void merge(Map<String, Object> into, Map<String, Object> more) {
            more.forEach((k, v) -> {
                if (v instanceof Map<?, ?> m && into.get(k) instanceof Map<?, ?> existing) {
                    merge((Map<String, Object>) existing, (Map<String, Object>) m);
                } else {
                    into.put(k, v);
                }
            });
        }

        @SuppressWarnings("unchecked")
        private static Map<String, Object> freeze(Map<String, Object> rules) {
            Map<String, Object> out = new LinkedHashMap<>();
            rules.forEach((k, v) -> out.put(k, v instanceof Map<?, ?> m ? freeze((Map<String, Object>) m) : v));
            return Collections.unmodifiableMap(out);
        }
    }
}
