package io.seedmq.messaging.observation;

import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.SenderContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The context of a {@link MessagingObservation#RPC_CLIENT} observation. Its carrier is the set of
 * entries a tracing handler writes the trace context into; seedmq sends them in the request's
 * oslo context, as {@code _context_<name>} fields, which Python oslo.messaging services pass on
 * when they call further with the context they received.
 */
public final class RpcCallContext extends SenderContext<Map<String, String>> {

    private final String topic;
    private final String method;
    private final String server;
    private final boolean cast;

    /**
     * @param topic the target's topic
     * @param method the method
     * @param server the target server, or {@code null}
     * @param cast whether no result is awaited
     */
    public RpcCallContext(String topic, String method, String server, boolean cast) {
        super((carrier, key, value) -> carrier.put(key, value), Kind.CLIENT);
        this.topic = topic;
        this.method = method;
        this.server = server;
        this.cast = cast;
        setCarrier(new LinkedHashMap<>());
    }

    /** @return the target's topic */
    public String topic() {
        return topic;
    }

    /** @return the method */
    public String method() {
        return method;
    }

    /** @return the target server, or {@code null} */
    public String server() {
        return server;
    }

    /** @return whether this is a cast (no result awaited) */
    public boolean cast() {
        return cast;
    }
}
