package io.seedmq.messaging;

import io.micrometer.observation.ObservationRegistry;
import io.seedmq.messaging.internal.ConnectionUrl;
import io.seedmq.messaging.retry.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

/**
 * Everything needed to open a {@link Connection}: the transport (by URL scheme), the broker
 * endpoints, credentials, virtual host and timeouts. Immutable; build one with {@link #builder()}
 * or parse a URL with {@link #fromUrl(String)}. The password never appears in {@link #toString()}
 * or in {@link #redactedUrl()}.
 *
 * <p>URL forms understood, as kombu and oslo.messaging write them:
 * <pre>
 * memory://                                   the JVM's default embedded broker
 * memory://tests-42                           a separate embedded broker named tests-42
 * amqp://guest:guest@localhost:5672/%2F       vhost "/" (also written amqp://host// or amqp://host/)
 * amqp://user:p%40ss@host/prod?heartbeat=30   percent-encoded password "p@ss", vhost "prod"
 * amqps://user:pass@broker.example.com        TLS, port 5671 by default
 * rabbit://user:pass@h1:5672,user:pass@h2:5672/   oslo's spelling, two hosts for failover
 * amqp://user:pass@h1//;amqp://user:pass@h2// kombu's failover list
 * </pre>
 * Query parameters: {@code heartbeat} (seconds), {@code connection_timeout} (milliseconds, as in
 * RabbitMQ's URI spec) or {@code connect_timeout} (seconds, as in kombu), {@code connection_name},
 * {@code failover} ({@code in-order}, {@code shuffle} or kombu's {@code round-robin}),
 * {@code verify_hostname} ({@code true}/{@code false}; TLS only, and it changes hostname
 * verification without discarding the other {@link TlsOptions} set in code). Others are kept in
 * {@link #parameters()} for the transport.
 */
public final class ConnectionOptions {

    /** Heartbeat interval unless set: 60 seconds, as the RabbitMQ Java client. */
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(60);
    /** Bound on opening a connection unless set. */
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(10);
    /** Bound on a declaration, a publish confirm or another broker round trip unless set. */
    public static final Duration DEFAULT_OPERATION_TIMEOUT = Duration.ofSeconds(30);
    /** Pause between recovery attempts after a lost connection unless set. */
    public static final Duration DEFAULT_RECOVERY_INTERVAL = Duration.ofSeconds(2);
    /**
     * How many asynchronous publishes may await their confirm at once unless set: enough to keep
     * a broker busy across a network round trip (RabbitMQ confirms in batches), small enough that a
     * stalled broker holds no more than a few megabytes of small messages in the client's heap.
     */
    public static final int DEFAULT_MAX_UNCONFIRMED_PUBLISHES = 10_000;

    /** How the hosts of a multi-host URL are tried. */
    public enum HostSelection {
        /** First to last, as listed. */
        IN_ORDER,
        /** In a random order on every connection attempt, spreading clients over a cluster. */
        SHUFFLE
    }

    private final String scheme;
    private final List<Address> addresses;
    private final String username;
    private final String password;
    private final String virtualHost;
    private final Duration heartbeat;
    private final Duration connectionTimeout;
    private final Duration operationTimeout;
    private final Duration recoveryInterval;
    private final boolean automaticRecovery;
    private final String connectionName;
    private final HostSelection hostSelection;
    private final TlsOptions tls;
    private final Map<String, String> parameters;
    private final RetryPolicy retryPolicy;
    private final ThreadFactory threadFactory;
    private final Executor handlerExecutor;
    private final int maxUnconfirmedPublishes;
    private final ObservationRegistry observationRegistry;

    private ConnectionOptions(Builder b) {
        scheme = b.scheme.toLowerCase(Locale.ROOT);
        addresses = List.copyOf(b.addresses);
        username = b.username;
        password = b.password;
        virtualHost = b.virtualHost;
        heartbeat = b.heartbeat;
        connectionTimeout = b.connectionTimeout;
        operationTimeout = b.operationTimeout;
        recoveryInterval = b.recoveryInterval;
        automaticRecovery = b.automaticRecovery;
        connectionName = b.connectionName;
        hostSelection = b.hostSelection;
        tls = tls(scheme, b.tls, b.verifyHostname);
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(b.parameters));
        retryPolicy = b.retryPolicy;
        threadFactory = b.threadFactory;
        handlerExecutor = b.handlerExecutor;
        if (b.maxUnconfirmedPublishes < 1) {
            throw new IllegalArgumentException("maxUnconfirmedPublishes must be at least 1: " + b.maxUnconfirmedPublishes);
        }
        maxUnconfirmedPublishes = b.maxUnconfirmedPublishes;
        observationRegistry = b.observationRegistry;
    }

    /**
     * The TLS settings in force: those set in code, else the defaults for {@code amqps}, with a
     * {@code verify_hostname} parameter changing hostname verification only, so a parameter never
     * discards a trust store or key store set in code.
     */
    private static TlsOptions tls(String scheme, TlsOptions set, Boolean verifyHostname) {
        TlsOptions base = set != null ? set : ("amqps".equals(scheme) ? TlsOptions.defaults() : null);
        if (verifyHostname == null) {
            return base;
        }
        if (base == null) {
            throw new IllegalArgumentException("parameter verify_hostname applies to TLS only: use amqps:// or set TlsOptions");
        }
        return base.toBuilder().verifyHostname(verifyHostname).build();
    }

    /** @return a builder for {@code memory://} with every default */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Parses a connection URL (see the class comment for the forms).
     *
     * @param url the URL
     * @return the options it describes
     * @throws IllegalArgumentException if it is malformed; the message never contains the password
     */
    public static ConnectionOptions fromUrl(String url) {
        return ConnectionUrl.parse(url).build();
    }

    /** @return the URL scheme, lower case: {@code memory}, {@code amqp}, {@code amqps}, {@code rabbit}, ... */
    public String scheme() {
        return scheme;
    }

    /** @return the broker endpoints, in the order given; empty for the default embedded broker */
    public List<Address> addresses() {
        return addresses;
    }

    /** @return the embedded broker's name for {@code memory://name}; "" for {@code memory://} */
    public String brokerName() {
        return addresses.isEmpty() ? "" : addresses.get(0).host();
    }

    /** @return the user name ({@code guest} unless set) */
    public String username() {
        return username;
    }

    /** @return the password ({@code guest} unless set); never printed by this class */
    public String password() {
        return password;
    }

    /** @return the virtual host ({@code /} unless set) */
    public String virtualHost() {
        return virtualHost;
    }

    /** @return the heartbeat interval; {@link Duration#ZERO} disables heartbeats */
    public Duration heartbeat() {
        return heartbeat;
    }

    /** @return the bound on opening a connection, TCP and AMQP handshake included */
    public Duration connectionTimeout() {
        return connectionTimeout;
    }

    /** @return the bound on one broker round trip: a declaration, a publish confirm, a cancel */
    public Duration operationTimeout() {
        return operationTimeout;
    }

    /** @return the pause between attempts to recover a lost connection */
    public Duration recoveryInterval() {
        return recoveryInterval;
    }

    /** @return whether a lost connection is recovered automatically, with its topology and consumers */
    public boolean automaticRecovery() {
        return automaticRecovery;
    }

    /** @return the client-provided connection name shown in the broker's management UI, or {@code null} */
    public String connectionName() {
        return connectionName;
    }

    /** @return how multiple hosts are tried */
    public HostSelection hostSelection() {
        return hostSelection;
    }

    /** @return TLS settings, {@code null} for plain TCP; never {@code null} for {@code amqps} */
    public TlsOptions tls() {
        return tls;
    }

    /** @return query parameters the options did not interpret themselves, for the transport */
    public Map<String, String> parameters() {
        return parameters;
    }

    /**
     * @return how connect, declare and publish retry transient failures (a lost connection, a
     *     timeout), and the back-off of a worker's reconnect loop; {@link RetryPolicy#defaults()} unless set
     */
    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    /**
     * @return where every thread seedmq starts for this connection comes from (the transport's I/O
     *     threads, the scheduler of timeouts and retries, handler pools of services without an
     *     executor); {@code null} for seedmq's own: daemon threads named {@code seedmq-<purpose>-<n>}
     */
    public ThreadFactory threadFactory() {
        return threadFactory;
    }

    /**
     * @return the executor handlers run on for every consumer, RPC server and listener of this
     *     connection that names none of its own; {@code null} (default) for each service's own
     *     bounded pool, or the transport's delivery thread at concurrency 1. seedmq never shuts it down.
     */
    public Executor handlerExecutor() {
        return handlerExecutor;
    }

    /**
     * @return the window of asynchronous publishes awaiting their confirm, per connection (see
     *     {@link Producer#publishAsync}); {@value #DEFAULT_MAX_UNCONFIRMED_PUBLISHES} unless set
     */
    public int maxUnconfirmedPublishes() {
        return maxUnconfirmedPublishes;
    }

    /**
     * @return where publishes, handlers, RPC calls and notifications of this connection are
     *     observed (metrics and traces); {@link ObservationRegistry#NOOP} unless set, which observes
     *     nothing and costs nothing. See {@code docs/observability.md} for the observations and tags.
     */
    public ObservationRegistry observationRegistry() {
        return observationRegistry;
    }

    /** @return a builder holding these options, to derive variants */
    public Builder toBuilder() {
        Builder b = new Builder().scheme(scheme).username(username).password(password).virtualHost(virtualHost)
                .heartbeat(heartbeat).connectionTimeout(connectionTimeout).operationTimeout(operationTimeout)
                .recoveryInterval(recoveryInterval).automaticRecovery(automaticRecovery)
                .connectionName(connectionName).hostSelection(hostSelection).retryPolicy(retryPolicy)
                .threadFactory(threadFactory).handlerExecutor(handlerExecutor)
                .maxUnconfirmedPublishes(maxUnconfirmedPublishes)
                .observationRegistry(observationRegistry);
        b.tls = tls;
        b.addresses.addAll(addresses);
        b.parameters.putAll(parameters);
        return b;
    }

    /** @return the URL these options stand for, with the password replaced by {@code ****} */
    public String redactedUrl() {
        return ConnectionUrl.redacted(this);
    }

    @Override
    public String toString() {
        return "ConnectionOptions[" + redactedUrl()
                + (memory() ? "" : ", heartbeat=" + heartbeat + ", connectionTimeout=" + connectionTimeout)
                + ", operationTimeout=" + operationTimeout
                + (connectionName == null ? "" : ", connectionName=" + connectionName)
                + (tls == null ? "" : ", tls=" + tls) + "]";
    }

    private boolean memory() {
        return "memory".equals(scheme);
    }

    /** Builds {@link ConnectionOptions}. Not thread-safe. */
    public static final class Builder {
        private String scheme = "memory";
        private final List<Address> addresses = new ArrayList<>();
        private String username = "guest";
        private String password = "guest";
        private String virtualHost = "/";
        private Duration heartbeat = DEFAULT_HEARTBEAT;
        private Duration connectionTimeout = DEFAULT_CONNECTION_TIMEOUT;
        private Duration operationTimeout = DEFAULT_OPERATION_TIMEOUT;
        private Duration recoveryInterval = DEFAULT_RECOVERY_INTERVAL;
        private boolean automaticRecovery = true;
        private String connectionName;
        private HostSelection hostSelection = HostSelection.IN_ORDER;
        private TlsOptions tls;
        /** The {@code verify_hostname} parameter, applied over {@link #tls} when built; {@code null} when not given. */
        private Boolean verifyHostname;
        private final Map<String, String> parameters = new LinkedHashMap<>();
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private ThreadFactory threadFactory;
        private Executor handlerExecutor;
        private int maxUnconfirmedPublishes = DEFAULT_MAX_UNCONFIRMED_PUBLISHES;
        private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

        private Builder() {
        }

        /**
         * @param publishes how many asynchronous publishes may await their confirm at once; a
         *     {@link Producer#publishAsync} finding the window full waits for room, at most the
         *     operation timeout
         * @return this
         */
        public Builder maxUnconfirmedPublishes(int publishes) {
            this.maxUnconfirmedPublishes = publishes;
            return this;
        }

        /**
         * The one observability setting: with a registry that has handlers (a meter handler for
         * metrics, a tracing handler for traces), every publish, handler run, RPC call and
         * notification of the connection is observed, and trace context travels in the messages.
         *
         * @param registry the application's registry; {@code null} or {@link ObservationRegistry#NOOP}
         *     observes nothing
         * @return this
         */
        public Builder observationRegistry(ObservationRegistry registry) {
            this.observationRegistry = registry == null ? ObservationRegistry.NOOP : registry;
            return this;
        }

        /**
         * @param factory makes every thread seedmq starts for the connection (see
         *     {@link ConnectionOptions#threadFactory()}); {@code null} for seedmq's own
         * @return this
         */
        public Builder threadFactory(ThreadFactory factory) {
            this.threadFactory = factory;
            return this;
        }

        /**
         * @param executor runs the handlers of services that name no executor of their own (see
         *     {@link ConnectionOptions#handlerExecutor()}); {@code null} for their own pools
         * @return this
         */
        public Builder handlerExecutor(Executor executor) {
            this.handlerExecutor = executor;
            return this;
        }

        /**
         * @param policy how connect, declare and publish retry transient failures;
         *     {@link RetryPolicy#none()} to fail at the first
         * @return this
         */
        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * @param scheme transport scheme ({@code memory}, {@code amqp}, {@code amqps}, {@code rabbit})
         * @return this
         */
        public Builder scheme(String scheme) {
            if (scheme == null || !scheme.matches("[A-Za-z][A-Za-z0-9+.-]*")) {
                throw new IllegalArgumentException("bad URL scheme: " + scheme);
            }
            this.scheme = scheme;
            return this;
        }

        /**
         * @param host host name
         * @param port port, 1 to 65535
         * @return this
         * @throws IllegalArgumentException if the port is out of range
         */
        public Builder address(String host, int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port out of range (1 to 65535): " + port);
            }
            addresses.add(new Address(host, port));
            return this;
        }

        /**
         * @param host host name, on the scheme's default port
         * @return this
         */
        public Builder address(String host) {
            addresses.add(Address.defaultPort(host));
            return this;
        }

        /**
         * @param addresses endpoints replacing any set before
         * @return this
         */
        public Builder addresses(List<Address> addresses) {
            this.addresses.clear();
            this.addresses.addAll(addresses);
            return this;
        }

        /**
         * @param username user name
         * @return this
         */
        public Builder username(String username) {
            this.username = Objects.requireNonNull(username, "username");
            return this;
        }

        /**
         * @param password password, or {@code null} for none
         * @return this
         */
        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /**
         * @param virtualHost virtual host, {@code /} by default
         * @return this
         */
        public Builder virtualHost(String virtualHost) {
            this.virtualHost = Objects.requireNonNull(virtualHost, "virtualHost");
            return this;
        }

        /**
         * @param heartbeat heartbeat interval, {@link Duration#ZERO} to disable
         * @return this
         */
        public Builder heartbeat(Duration heartbeat) {
            this.heartbeat = nonNegative(heartbeat, "heartbeat");
            return this;
        }

        /**
         * @param timeout bound on opening a connection
         * @return this
         */
        public Builder connectionTimeout(Duration timeout) {
            this.connectionTimeout = positive(timeout, "connection timeout");
            return this;
        }

        /**
         * @param timeout bound on one broker round trip
         * @return this
         */
        public Builder operationTimeout(Duration timeout) {
            this.operationTimeout = positive(timeout, "operation timeout");
            return this;
        }

        /**
         * @param interval pause between recovery attempts
         * @return this
         */
        public Builder recoveryInterval(Duration interval) {
            this.recoveryInterval = positive(interval, "recovery interval");
            return this;
        }

        /**
         * @param enabled whether lost connections are recovered automatically (default true)
         * @return this
         */
        public Builder automaticRecovery(boolean enabled) {
            this.automaticRecovery = enabled;
            return this;
        }

        /**
         * @param name connection name shown by the broker, saying which application this is
         * @return this
         */
        public Builder connectionName(String name) {
            this.connectionName = name;
            return this;
        }

        /**
         * @param selection how multiple hosts are tried
         * @return this
         */
        public Builder hostSelection(HostSelection selection) {
            this.hostSelection = Objects.requireNonNull(selection, "selection");
            return this;
        }

        /**
         * @param tls TLS settings; set for {@code amqps} automatically. A {@code verify_hostname}
         *     parameter, given before or after, changes their hostname verification and nothing else
         * @return this
         */
        public Builder tls(TlsOptions tls) {
            this.tls = tls;
            return this;
        }

        /**
         * Sets a URL query parameter, interpreting the ones this class knows (see the class
         * comment); the others are kept in {@link ConnectionOptions#parameters()}. A parameter
         * changes only the setting it names: {@code verify_hostname} keeps the rest of the
         * {@link #tls TLS settings}, and is refused when the connection does not use TLS.
         *
         * @param key parameter name
         * @param value parameter value
         * @return this
         */
        public Builder parameter(String key, String value) {
            try {
                switch (key) {
                    case "heartbeat" -> heartbeat(seconds(value));
                    case "connection_timeout" -> connectionTimeout(Duration.ofMillis(Long.parseLong(value)));
                    case "connect_timeout" -> connectionTimeout(seconds(value));
                    case "connection_name" -> connectionName(value);
                    case "failover", "failover_strategy" -> hostSelection(switch (value) {
                        case "in-order", "in_order", "round-robin", "round_robin" -> HostSelection.IN_ORDER;
                        case "shuffle" -> HostSelection.SHUFFLE;
                        default -> throw new IllegalArgumentException(
                                "unknown failover '" + value + "' (in-order, round-robin or shuffle)");
                    });
                    case "verify_hostname" -> verifyHostname = bool(key, value);
                    default -> parameters.put(key, value);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("parameter " + key + " is not a number: " + value, e);
            }
            return this;
        }

        /** @return the options */
        public ConnectionOptions build() {
            return new ConnectionOptions(this);
        }

        private static boolean bool(String key, String value) {
            if ("true".equalsIgnoreCase(value) || "false".equalsIgnoreCase(value)) {
                return Boolean.parseBoolean(value);
            }
            throw new IllegalArgumentException("parameter " + key + " is not true or false: " + value);
        }

        private static Duration seconds(String value) {
            return Duration.ofMillis(Math.round(Double.parseDouble(value) * 1000));
        }

        private static Duration positive(Duration d, String what) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive: " + d);
            }
            return d;
        }

        private static Duration nonNegative(Duration d, String what) {
            Objects.requireNonNull(d, what);
            if (d.isNegative()) {
                throw new IllegalArgumentException(what + " must not be negative: " + d);
            }
            return d;
        }
    }
}
