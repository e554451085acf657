package io.seedmq.messaging;

import io.seedmq.messaging.retry.RetryPolicy;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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
 * {@code verify_hostname} ({@code true}/{@code false}). Others are kept in {@link #parameters()}
 * for the transport.
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
        tls = b.tls != null ? b.tls : ("amqps".equals(scheme) ? TlsOptions.DEFAULT : null);
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(b.parameters));
        retryPolicy = b.retryPolicy;
        threadFactory = b.threadFactory;
        handlerExecutor = b.handlerExecutor;
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
        Objects.requireNonNull(url, "url");
        String[] alternatives = url.trim().split(";");
        Builder builder = null;
        for (String one : alternatives) {
            if (one.isBlank()) {
                continue;
            }
            Builder parsed = parseOne(one.trim());
            if (builder == null) {
                builder = parsed;
            } else {
                if (!sameTransport(builder.scheme, parsed.scheme)) {
                    throw new IllegalArgumentException("a failover list mixes schemes " + builder.scheme
                            + " and " + parsed.scheme);
                }
                builder.addresses.addAll(parsed.addresses);
            }
        }
        if (builder == null) {
            throw new IllegalArgumentException("empty connection URL");
        }
        return builder.build();
    }

    private static boolean sameTransport(String a, String b) {
        return normalScheme(a).equals(normalScheme(b));
    }

    private static String normalScheme(String scheme) {
        return "rabbit".equals(scheme) || "pyamqp".equals(scheme) ? "amqp" : scheme;
    }

    private static Builder parseOne(String url) {
        int sep = url.indexOf("://");
        if (sep <= 0) {
            throw new IllegalArgumentException("not a connection URL (scheme://...): " + redactRaw(url));
        }
        Builder b = new Builder().scheme(url.substring(0, sep));
        String rest = url.substring(sep + 3);
        int query = rest.indexOf('?');
        String queryPart = query >= 0 ? rest.substring(query + 1) : "";
        rest = query >= 0 ? rest.substring(0, query) : rest;
        int slash = rest.indexOf('/');
        String authority = slash >= 0 ? rest.substring(0, slash) : rest;
        String path = slash >= 0 ? rest.substring(slash + 1) : null;

        String user = null;
        String pass = null;
        for (String hostPart : authority.split(",")) {
            if (hostPart.isEmpty()) {
                continue;
            }
            int at = hostPart.lastIndexOf('@');
            if (at >= 0) {
                String userInfo = hostPart.substring(0, at);
                int colon = userInfo.indexOf(':');
                String u = decode(colon >= 0 ? userInfo.substring(0, colon) : userInfo);
                String p = colon >= 0 ? decode(userInfo.substring(colon + 1)) : null;
                if (user != null && (!user.equals(u) || !Objects.equals(pass, p))) {
                    throw new IllegalArgumentException("hosts of one URL must share their credentials: "
                            + redactRaw(url));
                }
                user = u;
                pass = p;
                hostPart = hostPart.substring(at + 1);
            }
            if (!hostPart.isEmpty()) {
                b.addresses.add(parseAddress(hostPart, url));
            }
        }
        if (user != null) {
            b.username = user;
            b.password = pass;
        }
        if (path != null && !path.isEmpty()) {
            b.virtualHost = decode(path);
        }
        if (!queryPart.isEmpty()) {
            for (String pair : queryPart.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = decode(eq >= 0 ? pair.substring(0, eq) : pair);
                String value = eq >= 0 ? decode(pair.substring(eq + 1)) : "";
                b.parameter(key, value);
            }
        }
        return b;
    }

    private static Address parseAddress(String hostPort, String url) {
        String host;
        String portText = null;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unclosed IPv6 literal in " + redactRaw(url));
            }
            host = hostPort.substring(1, close);
            if (close + 1 < hostPort.length()) {
                if (hostPort.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException("bad host '" + hostPort + "' in " + redactRaw(url));
                }
                portText = hostPort.substring(close + 2);
            }
        } else {
            int colon = hostPort.lastIndexOf(':');
            host = colon >= 0 ? hostPort.substring(0, colon) : hostPort;
            portText = colon >= 0 ? hostPort.substring(colon + 1) : null;
        }
        int port = -1;
        if (portText != null && !portText.isEmpty()) {
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad port '" + portText + "' in " + redactRaw(url));
            }
        }
        return new Address(decode(host), port);
    }

    private static String decode(String s) {
        // '+' is a literal plus in URL user info and paths, not a space.
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Masks whatever sits between "://user:" and "@" in a raw URL, for error messages. */
    static String redactRaw(String url) {
        // Also for text that is hardly a URL (a missing colon, a stray separator): whatever stands
        // between "user:" and "@" is taken for a password.
        return url.replaceAll("(://[^:/@,]*:)[^@/]*@", "$1****@").replaceAll("(,[^:/@,]*:)[^@/,]*@", "$1****@")
                .replaceAll("(^|[/,;])([^:/@,;]*:)[^@]*@", "$1$2****@");
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

    /** @return a builder holding these options, to derive variants */
    public Builder toBuilder() {
        Builder b = new Builder().scheme(scheme).username(username).password(password).virtualHost(virtualHost)
                .heartbeat(heartbeat).connectionTimeout(connectionTimeout).operationTimeout(operationTimeout)
                .recoveryInterval(recoveryInterval).automaticRecovery(automaticRecovery)
                .connectionName(connectionName).hostSelection(hostSelection).retryPolicy(retryPolicy)
                .threadFactory(threadFactory).handlerExecutor(handlerExecutor);
        b.tls = tls;
        b.addresses.addAll(addresses);
        b.parameters.putAll(parameters);
        return b;
    }

    /** @return the URL these options stand for, with the password replaced by {@code ****} */
    public String redactedUrl() {
        StringBuilder s = new StringBuilder(scheme).append("://");
        boolean memory = "memory".equals(scheme);
        if (!memory) {
            s.append(encode(username)).append(password == null ? "" : ":****").append('@');
        }
        for (int i = 0; i < addresses.size(); i++) {
            s.append(i == 0 ? "" : ",").append(addresses.get(i));
        }
        if (!memory) {
            s.append('/').append(encode(virtualHost));
        }
        return s.toString();
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
        private final Map<String, String> parameters = new LinkedHashMap<>();
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private ThreadFactory threadFactory;
        private Executor handlerExecutor;

        private Builder() {
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
         * @param port port, or -1 for the scheme's default
         * @return this
         */
        public Builder address(String host, int port) {
            addresses.add(new Address(host, port));
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
         * @param tls TLS settings; set for {@code amqps} automatically
         * @return this
         */
        public Builder tls(TlsOptions tls) {
            this.tls = tls;
            return this;
        }

        /**
         * Sets a URL query parameter, interpreting the ones this class knows.
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
                    case "verify_hostname" -> tls(TlsOptions.builder()
                            .verifyHostname(Boolean.parseBoolean(value)).build());
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
