package io.seedmq.messaging.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations seedmq makes when a connection has an
 * {@linkplain io.seedmq.messaging.ConnectionOptions#observationRegistry() observation registry}:
 * their names (the names of the timers a meter handler makes of them) and their tags. Each is
 * started once and stopped once per operation, on every outcome.
 */
public enum MessagingObservation implements ObservationDocumentation {

    /**
     * A publish, from the call until the broker confirmed it (or returned, nacked or failed it);
     * retries included. Producer span {@code publish <exchange>}; writes the trace context into the
     * message's headers ({@code traceparent}, {@code tracestate} with W3C propagation).
     */
    PUBLISH("seedmq.publish", PublishContext.class, MessagingKey.MESSAGING_SYSTEM, MessagingKey.MESSAGING_OPERATION,
            MessagingKey.MESSAGING_DESTINATION, MessagingKey.OUTCOME),

    /**
     * A handler running on a message: an application consumer's or worker's handler (retries
     * included), or a notification listener's endpoints. Consumer span {@code process <exchange>},
     * child of the sender's span when the message carried a trace context; the trace id is in the
     * SLF4J MDC ({@code traceId}, {@code spanId}) while the handler runs.
     */
    PROCESS("seedmq.process", ProcessContext.class, MessagingKey.MESSAGING_SYSTEM, MessagingKey.MESSAGING_OPERATION,
            MessagingKey.MESSAGING_DESTINATION, MessagingKey.SERVICE, MessagingKey.REDELIVERED),

    /**
     * An RPC server's method running on a request, until its reply is sent. Server span
     * {@code <topic>/<method>}, child of the caller's span carried in the request's oslo context.
     */
    RPC_SERVER("seedmq.rpc.server", ProcessContext.class, MessagingKey.MESSAGING_SYSTEM, MessagingKey.RPC_SYSTEM,
            MessagingKey.RPC_SERVICE, MessagingKey.RPC_METHOD),

    /**
     * An RPC call (until its result, remote error or timeout) or a cast (until sent) on the client.
     * Client span {@code <topic>/<method>}; writes the trace context into the request's oslo context
     * ({@code _context_traceparent}, {@code _context_tracestate}).
     */
    RPC_CLIENT("seedmq.rpc.client", RpcCallContext.class, MessagingKey.MESSAGING_SYSTEM, MessagingKey.RPC_SYSTEM,
            MessagingKey.RPC_SERVICE, MessagingKey.RPC_METHOD, MessagingKey.OUTCOME, MessagingKey.ERROR_TYPE),

    /**
     * A notification sent through every driver of a notifier. Producer span
     * {@code notify <priority>}; writes the trace context into the notification's oslo context.
     */
    NOTIFY("seedmq.notify", NotifyContext.class, MessagingKey.MESSAGING_SYSTEM, MessagingKey.MESSAGING_DESTINATION,
            MessagingKey.NOTIFICATION_PRIORITY, MessagingKey.OUTCOME);

    private final String name;
    private final Class<?> context;
    private final KeyName[] tags;

    MessagingObservation(String name, Class<?> context, KeyName... tags) {
        this.name = name;
        this.context = context;
        this.tags = tags;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public String getContextualName() {
        return null;
    }

    @Override
    public KeyName[] getLowCardinalityKeyNames() {
        return tags.clone();
    }

    /** @return the type of the context this observation carries */
    public Class<?> contextType() {
        return context;
    }
}
