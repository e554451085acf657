package io.seedmq.messaging;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An exchange: where messages are published and from where they are routed to queues. An
 * immutable value; declaring it is idempotent as long as the properties agree with what the
 * broker has, otherwise the declaration fails with {@link DeclarationConflictException}.
 *
 * <pre>{@code
 * Exchange logs = Exchange.fanout("logs");                         // durable, like kombu's default
 * Exchange temp = Exchange.builder("events", ExchangeType.TOPIC).durable(false).autoDelete(true).build();
 * }</pre>
 *
 * @param name the exchange name; "" is the default exchange, which routes by queue name
 * @param type how it routes
 * @param durable whether it survives a broker restart
 * @param autoDelete whether the broker deletes it when its last binding goes
 * @param arguments extra declaration arguments (for example {@code alternate-exchange})
 */
public record Exchange(String name, ExchangeType type, boolean durable, boolean autoDelete,
                       Map<String, Object> arguments) {

    /** The default exchange: every queue is bound to it by its own name. It cannot be declared or deleted. */
    public static final Exchange DEFAULT = new Exchange("", ExchangeType.DIRECT, true, false, Map.of());

    /** Validates and copies the arguments. */
    public Exchange {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (name.length() > 255) {
            throw new IllegalArgumentException("exchange name longer than 255 characters");
        }
        arguments = Map.copyOf(arguments == null ? Map.of() : arguments);
    }

    /**
     * @param name exchange name
     * @return a durable direct exchange
     */
    public static Exchange direct(String name) {
        return builder(name, ExchangeType.DIRECT).build();
    }

    /**
     * @param name exchange name
     * @return a durable fanout exchange
     */
    public static Exchange fanout(String name) {
        return builder(name, ExchangeType.FANOUT).build();
    }

    /**
     * @param name exchange name
     * @return a durable topic exchange
     */
    public static Exchange topic(String name) {
        return builder(name, ExchangeType.TOPIC).build();
    }

    /**
     * @param name exchange name
     * @return a durable headers exchange
     */
    public static Exchange headers(String name) {
        return builder(name, ExchangeType.HEADERS).build();
    }

    /**
     * @param name exchange name
     * @param type exchange type
     * @return a builder starting from a durable, not auto-deleted exchange
     */
    public static Builder builder(String name, ExchangeType type) {
        return new Builder(name, type);
    }

    /** @return whether this is the default exchange ("") */
    public boolean isDefault() {
        return name.isEmpty();
    }

    /** @return a builder holding this exchange's properties, to derive a variant */
    public Builder toBuilder() {
        return new Builder(name, type).durable(durable).autoDelete(autoDelete).arguments(arguments);
    }

    /** Builds an {@link Exchange}. Not thread-safe; the built value is. */
    public static final class Builder {
        private final String name;
        private final ExchangeType type;
        private boolean durable = true;
        private boolean autoDelete;
        private final Map<String, Object> arguments = new LinkedHashMap<>();

        private Builder(String name, ExchangeType type) {
            this.name = name;
            this.type = type;
        }

        /**
         * @param durable whether the exchange survives a broker restart (default true)
         * @return this
         */
        public Builder durable(boolean durable) {
            this.durable = durable;
            return this;
        }

        /**
         * @param autoDelete whether the broker deletes it when the last binding goes (default false)
         * @return this
         */
        public Builder autoDelete(boolean autoDelete) {
            this.autoDelete = autoDelete;
            return this;
        }

        /**
         * @param key argument name
         * @param value argument value
         * @return this
         */
        public Builder argument(String key, Object value) {
            arguments.put(key, value);
            return this;
        }

        /**
         * @param arguments arguments to add
         * @return this
         */
        public Builder arguments(Map<String, ?> arguments) {
            this.arguments.putAll(arguments);
            return this;
        }

        /** @return the exchange */
        public Exchange build() {
            return new Exchange(name, type, durable, autoDelete, arguments);
        }
    }
}
