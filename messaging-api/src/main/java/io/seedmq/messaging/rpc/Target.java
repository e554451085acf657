package io.seedmq.messaging.rpc;

import io.seedmq.messaging.rpc.internal.Versions;
import java.util.StringJoiner;

/**
 * Where an RPC request goes, or what an RPC server or endpoint answers for: oslo.messaging's
 * {@code Target}.
 *
 * <ul>
 *   <li>{@code exchange}: the topic exchange requests travel through; {@code null} means the
 *       control exchange ({@value #DEFAULT_EXCHANGE} unless the client's options say otherwise).
 *   <li>{@code topic}: the service's name; every server of the topic shares queue {@code <topic>}.
 *   <li>{@code server}: one server of the topic; a request targeted at it goes to queue
 *       {@code <topic>.<server>} only.
 *   <li>{@code namespace} and {@code version} ({@code "major.minor"}): which endpoint interface a
 *       request is for; an endpoint answers a request of the same namespace and a compatible
 *       version (same major, minor not above its own).
 *   <li>{@code fanout}: a cast to every server of the topic.
 * </ul>
 *
 * <p>Immutable; each {@code with} method returns a copy.
 *
 * @param exchange the exchange, or {@code null} for the control exchange
 * @param topic the topic, required to send or serve
 * @param server the server, or {@code null}
 * @param namespace the namespace, or {@code null}
 * @param version the version, or {@code null} (read as {@code 1.0})
 * @param fanout whether a cast goes to every server of the topic
 */
public record Target(String exchange, String topic, String server, String namespace, String version,
                     boolean fanout) {

    /** oslo.messaging's default control exchange. */
    public static final String DEFAULT_EXCHANGE = "openstack";

    /** Validates the version format. */
    public Target {
        if (version != null) {
            Versions.parse(version);
        }
    }

    /**
     * @param topic the topic
     * @return a target for that topic on the control exchange
     */
    public static Target topic(String topic) {
        return new Target(null, topic, null, null, null, false);
    }

    /** @return a target with nothing set; endpoints use it to state only a namespace or version */
    public static Target empty() {
        return new Target(null, null, null, null, null, false);
    }

    /**
     * @param exchange the exchange, or {@code null} for the control exchange
     * @return a copy with that exchange
     */
    public Target withExchange(String exchange) {
        return new Target(exchange, topic, server, namespace, version, fanout);
    }

    /**
     * @param topic the topic
     * @return a copy with that topic
     */
    public Target withTopic(String topic) {
        return new Target(exchange, topic, server, namespace, version, fanout);
    }

    /**
     * @param server the server, or {@code null}
     * @return a copy with that server
     */
    public Target withServer(String server) {
        return new Target(exchange, topic, server, namespace, version, fanout);
    }

    /**
     * @param namespace the namespace, or {@code null}
     * @return a copy with that namespace
     */
    public Target withNamespace(String namespace) {
        return new Target(exchange, topic, server, namespace, version, fanout);
    }

    /**
     * @param version {@code "major.minor"} (or {@code "major.minor.revision"}), or {@code null}
     * @return a copy with that version
     * @throws IllegalArgumentException when the version is not numbers separated by dots
     */
    public Target withVersion(String version) {
        return new Target(exchange, topic, server, namespace, version, fanout);
    }

    /**
     * @param fanout whether a cast goes to every server of the topic
     * @return a copy with that flag
     */
    public Target withFanout(boolean fanout) {
        return new Target(exchange, topic, server, namespace, version, fanout);
    }

    /**
     * @param defaultExchange the control exchange
     * @return this target's exchange, or the control exchange when it names none
     */
    public String exchangeOr(String defaultExchange) {
        return exchange != null ? exchange : defaultExchange;
    }

    @Override
    public String toString() {
        StringJoiner out = new StringJoiner(", ", "Target{", "}");
        add(out, "exchange", exchange);
        add(out, "topic", topic);
        add(out, "server", server);
        add(out, "namespace", namespace);
        add(out, "version", version);
        if (fanout) {
            out.add("fanout");
        }
        return out.toString();
    }

    private static void add(StringJoiner out, String name, String value) {
        if (value != null) {
            out.add(name + "=" + value);
        }
    }
}
