package io.seedmq.messaging.oslo;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The request context that travels with an RPC request or a notification, as oslo.messaging's
 * {@code ctxt}: user, project, request id and whatever else the caller wants the other side to
 * know. On the wire each entry becomes a {@code _context_<key>} field of the message.
 *
 * <p>Immutable. Values are JSON values: strings, numbers, booleans, {@code null}, lists and maps
 * of those. {@link #toString()} masks the values of {@linkplain #isSensitiveKey sensitive keys}
 * (tokens, passwords, secrets), so a context can be logged.
 *
 * <pre>{@code
 * Context ctx = Context.empty().with("user_id", "u-1").with("request_id", "req-42");
 * }</pre>
 */
public final class Context {

    private static final Context EMPTY = new Context(Map.of());

    /** Keys whose values are masked in {@code toString()} and, by default, never notified. */
    private static final Pattern SENSITIVE = Pattern.compile("(?i).*(token|password|secret|credential).*");

    private final Map<String, Object> values;

    private Context(Map<String, Object> values) {
        this.values = values;
    }

    /** @return the context with no entries */
    public static Context empty() {
        return EMPTY;
    }

    /**
     * @param values the entries; {@code null} values are kept, as oslo contexts carry them
     * @return a context holding a copy of the entries, in their iteration order
     */
    public static Context of(Map<String, ?> values) {
        Objects.requireNonNull(values, "values");
        if (values.isEmpty()) {
            return EMPTY;
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "context key"), v));
        return new Context(Collections.unmodifiableMap(copy));
    }

    /**
     * @param key the entry's name
     * @param value a JSON value, or {@code null}
     * @return a copy with the entry added or replaced
     */
    public Context with(String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(values);
        copy.put(Objects.requireNonNull(key, "key"), value);
        return new Context(Collections.unmodifiableMap(copy));
    }

    /**
     * @param keep which keys to keep
     * @return a copy holding only the entries whose key passes {@code keep}
     */
    public Context filterKeys(Predicate<String> keep) {
        Map<String, Object> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (keep.test(k)) {
                copy.put(k, v);
            }
        });
        return copy.size() == values.size() ? this : of(copy);
    }

    /**
     * @param key the entry's name
     * @return its value, empty when absent or {@code null}
     */
    public Optional<Object> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /**
     * @param key the entry's name
     * @return its value as text ({@code String.valueOf} for non-text values), empty when absent
     */
    public Optional<String> getString(String key) {
        return get(key).map(String::valueOf);
    }

    /** @return the entries, unmodifiable, in insertion order */
    public Map<String, Object> asMap() {
        return values;
    }

    /** @return whether the context has no entries */
    public boolean isEmpty() {
        return values.isEmpty();
    }

    /**
     * @param key a context key
     * @return whether the key names a credential (contains token, password, secret or credential,
     *     in any case): such values are masked when printed and, by default, not notified
     */
    public static boolean isSensitiveKey(String key) {
        return SENSITIVE.matcher(key).matches();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Context other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        StringJoiner out = new StringJoiner(", ", "Context{", "}");
        values.forEach((k, v) -> out.add(k + "=" + (isSensitiveKey(k) && v != null ? "****" : v)));
        return out.toString();
    }
}
