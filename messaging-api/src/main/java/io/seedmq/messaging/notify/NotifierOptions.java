package io.seedmq.messaging.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.seedmq.messaging.oslo.Context;
import io.seedmq.messaging.oslo.OsloTopology;
import io.seedmq.messaging.serialization.JsonSerializer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * How a {@link Notifier} sends: topics, exchange, drivers, retry, whether it declares the
 * listeners' queues, and which context entries never leave the process. Immutable; build with
 * {@link #builder()}.
 *
 * <pre>{@code
 * NotifierOptions options = NotifierOptions.builder()
 *         .topics("notifications", "audit")
 *         .driver(NotifierOptions.Driver.MESSAGING_V2)
 *         .driver(NotifierOptions.Driver.LOG)
 *         .declareQueues(false)
 *         .build();
 * }</pre>
 */
public final class NotifierOptions {

    /** oslo's {@code retry} meaning "retry forever". */
    public static final int RETRY_FOREVER = -1;

    /**
     * The default retry: 3 retries with exponential back-off. oslo's default is forever; seedmq
     * bounds it, as every blocking call of seedmq has a bound. Set {@link #RETRY_FOREVER} for oslo's.
     */
    public static final int DEFAULT_RETRY = 3;

    /** The built-in drivers, named as in oslo's {@code driver} option. */
    public enum Driver {
        /** Publishes on the transport in the 2.0 envelope ({@code messagingv2}), oslo's default. */
        MESSAGING_V2("messagingv2"),
        /** Publishes on the transport without an envelope, version 1.0 ({@code messaging}), for old consumers. */
        MESSAGING("messaging"),
        /** Writes each notification as JSON to the slf4j logger {@code seedmq.notification.<event_type>}. */
        LOG("log"),
        /** Discards notifications. */
        NOOP("noop");

        private final String osloName;

        Driver(String osloName) {
            this.osloName = osloName;
        }

        /** @return the name oslo configurations use */
        public String osloName() {
            return osloName;
        }

        /**
         * @param name an oslo driver name ({@code messagingv2}, {@code messaging}, {@code log}, {@code noop})
         * @return the driver
         * @throws IllegalArgumentException if the name is none of them
         */
        public static Driver fromOsloName(String name) {
            for (Driver d : values()) {
                if (d.osloName.equals(name.toLowerCase(Locale.ROOT))) {
                    return d;
                }
            }
            throw new IllegalArgumentException("unknown notification driver '" + name
                    + "' (messagingv2, messaging, log, noop)");
        }
    }

    private static final NotifierOptions DEFAULTS = builder().build();

    private final List<String> topics;
    private final String exchange;
    private final List<Driver> drivers;
    private final List<NotificationDriver> customDrivers;
    private final int retry;
    private final boolean declareQueues;
    private final Predicate<String> sensitiveContextKey;
    private final ObjectMapper mapper;
    private final OsloTopology topology;

    private NotifierOptions(Builder b) {
        this.topics = List.copyOf(b.topics.isEmpty() ? List.of(NotificationTarget.DEFAULT_TOPIC) : b.topics);
        this.exchange = b.exchange;
        this.drivers = List.copyOf(b.drivers.isEmpty() && b.customDrivers.isEmpty() ? List.of(Driver.MESSAGING_V2) : b.drivers);
        this.customDrivers = List.copyOf(b.customDrivers);
        this.retry = b.retry;
        this.declareQueues = b.declareQueues;
        this.sensitiveContextKey = b.sensitiveContextKey;
        this.mapper = b.mapper;
        this.topology = b.topology;
    }

    /** @return the defaults: topic {@code notifications}, exchange {@code openstack}, {@code messagingv2}, declaring queues */
    public static NotifierOptions defaults() {
        return DEFAULTS;
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the topics every notification is sent on (each gets its own copy) */
    public List<String> topics() {
        return topics;
    }

    /** @return the topic exchange notifications are published to */
    public String exchange() {
        return exchange;
    }

    /** @return the built-in drivers */
    public List<Driver> drivers() {
        return drivers;
    }

    /** @return the application's drivers, run after the built-in ones */
    public List<NotificationDriver> customDrivers() {
        return customDrivers;
    }

    /**
     * @return oslo's retry setting: {@value #RETRY_FOREVER} (or {@code null} in oslo) forever,
     *     0 no retry, N at most N retries (default {@value #DEFAULT_RETRY}). A publish that fails
     *     with a retryable error (the connection dropped before the broker confirmed, an outage, a
     *     negative confirm) is sent again by {@link io.seedmq.messaging.oslo.OsloRetry#of(Integer)}
     *     with exponential back-off; other errors fail the notify at once
     */
    public int retry() {
        return retry;
    }

    /** @return whether the notifier declares the {@code <topic>.<priority>} queues it publishes to */
    public boolean declareQueues() {
        return declareQueues;
    }

    /** @return which context keys are stripped before sending */
    public Predicate<String> sensitiveContextKey() {
        return sensitiveContextKey;
    }

    /** @return the mapper that turns payloads into JSON */
    public ObjectMapper mapper() {
        return mapper;
    }

    /**
     * @return how the notifier's exchange and {@code <topic>.<priority>} queues are declared: oslo's rabbit driver options
     *     ({@link OsloTopology#defaults()} unless set, which RabbitMQ 4.3 accepts;
     *     {@link OsloTopology#historical()} for oslo.messaging 14.0.3's). Python peers sharing its
     *     topics must use the same settings, or RabbitMQ refuses the second declaration
     */
    public OsloTopology topology() {
        return topology;
    }

    /** @return a builder holding these options */
    public Builder toBuilder() {
        Builder b = new Builder().exchange(exchange).retry(retry).declareQueues(declareQueues)
                .stripContext(sensitiveContextKey).mapper(mapper).topology(topology);
        b.topics.addAll(topics);
        b.drivers.addAll(drivers);
        b.customDrivers.addAll(customDrivers);
        return b;
    }

    @Override
    public String toString() {
        return "NotifierOptions{topics=" + topics + ", exchange=" + exchange + ", drivers=" + drivers
                + (customDrivers.isEmpty() ? "" : "+" + customDrivers.size() + " custom") + ", retry=" + retry
                + ", declareQueues=" + declareQueues + ", topology=" + topology + "}";
    }

    /** Builds {@link NotifierOptions}. Not thread-safe. */
    public static final class Builder {
        private final List<String> topics = new ArrayList<>();
        private String exchange = NotificationTarget.DEFAULT_EXCHANGE;
        private final List<Driver> drivers = new ArrayList<>();
        private final List<NotificationDriver> customDrivers = new ArrayList<>();
        private int retry = DEFAULT_RETRY;
        private boolean declareQueues = true;
        private Predicate<String> sensitiveContextKey = Context::isSensitiveKey;
        private ObjectMapper mapper = JsonSerializer.defaultMapper();
        private OsloTopology topology = OsloTopology.defaults();

        private Builder() {
        }

        /**
         * @param topics the topics to send on, replacing the default {@code notifications}
         * @return this
         */
        public Builder topics(String... topics) {
            return topics(List.of(topics));
        }

        /**
         * @param topics the topics to send on, replacing earlier ones
         * @return this
         */
        public Builder topics(List<String> topics) {
            this.topics.clear();
            for (String t : topics) {
                if (Objects.requireNonNull(t, "topic").isEmpty()) {
                    throw new IllegalArgumentException("a notification topic must not be empty");
                }
                this.topics.add(t);
            }
            return this;
        }

        /**
         * @param exchange the topic exchange (default {@code openstack}, oslo's control exchange)
         * @return this
         */
        public Builder exchange(String exchange) {
            if (Objects.requireNonNull(exchange, "exchange").isEmpty()) {
                throw new IllegalArgumentException("notifications need a named exchange");
            }
            this.exchange = exchange;
            return this;
        }

        /**
         * Adds a built-in driver. With no driver at all the notifier uses {@code messagingv2}.
         *
         * @param driver the driver
         * @return this
         */
        public Builder driver(Driver driver) {
            if (!drivers.contains(Objects.requireNonNull(driver, "driver"))) {
                drivers.add(driver);
            }
            return this;
        }

        /**
         * Adds an application driver (in tests, the test kit's {@code NotificationRecorder}).
         *
         * @param driver the driver
         * @return this
         */
        public Builder driver(NotificationDriver driver) {
            customDrivers.add(Objects.requireNonNull(driver, "driver"));
            return this;
        }

        /**
         * @param retry oslo's retry: -1 forever, 0 none, N at most N retries (default 3)
         * @return this
         */
        public Builder retry(int retry) {
            if (retry < RETRY_FOREVER) {
                throw new IllegalArgumentException("retry must be -1 (forever), 0 or positive: " + retry);
            }
            this.retry = retry;
            return this;
        }

        /**
         * Whether to declare, before the first notification of each topic and priority, a queue
         * named {@code <topic>.<priority>} bound with that key, as oslo does. Declaring (the
         * default) keeps notifications sent before any listener started, at the price of queues
         * that fill up when nobody ever listens; not declaring sends nothing anywhere until a
         * listener has declared its queue.
         *
         * @param declare whether to declare the queues
         * @return this
         */
        public Builder declareQueues(boolean declare) {
            this.declareQueues = declare;
            return this;
        }

        /**
         * @param sensitive context keys for which it answers true are not sent (default
         *     {@link Context#isSensitiveKey}: tokens, passwords, secrets, credentials)
         * @return this
         */
        public Builder stripContext(Predicate<String> sensitive) {
            this.sensitiveContextKey = Objects.requireNonNull(sensitive, "sensitive");
            return this;
        }

        /**
         * @param mapper converts payloads to JSON (default seedmq's shared mapper); must not enable default typing
         * @return this
         */
        public Builder mapper(ObjectMapper mapper) {
            this.mapper = Objects.requireNonNull(mapper, "mapper");
            return this;
        }

        /**
         * @param topology how exchanges and queues are declared, as oslo's rabbit driver options
         *     ({@link OsloTopology#fromSettings} reads an oslo section)
         * @return this
         */
        public Builder topology(OsloTopology topology) {
            this.topology = Objects.requireNonNull(topology, "topology");
            return this;
        }

        /** @return the options */
        public NotifierOptions build() {
            return new NotifierOptions(this);
        }
    }
}
