package io.seedmq.messaging.internal;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.Kind;
import io.seedmq.messaging.ConnectionOptions;
import io.seedmq.messaging.PublishRejectedException;
import io.seedmq.messaging.UndeliverableException;
import io.seedmq.messaging.observation.MessagingKey;
import io.seedmq.messaging.observation.NotifyContext;
import io.seedmq.messaging.observation.MessagingObservation;
import io.seedmq.messaging.observation.ProcessContext;
import io.seedmq.messaging.observation.PublishContext;
import io.seedmq.messaging.observation.RpcCallContext;
import io.seedmq.messaging.rpc.RemoteException;
import io.seedmq.messaging.rpc.RpcTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.function.UnaryOperator;

/**
 * A connection's side of the observation seam: whether anything observes (decided once, so an
 * unobserved connection pays one final-field test per operation), and how seedmq's observations
 * are named and tagged. The layers (producer, dispatch engine, RPC, notifications) start and stop
 * the observations; this class makes them alike.
 */
public final class Observations {

    /** The destination tag of the default exchange, RabbitMQ's name for it. */
    static final String DEFAULT_EXCHANGE = "amq.default";

    private final ObservationRegistry registry;
    private final boolean enabled;
    private final String system;

    Observations(ConnectionOptions options) {
        this.registry = options.observationRegistry();
        this.enabled = !registry.isNoop();
        String scheme = options.scheme();
        this.system = scheme.equals("amqp") || scheme.equals("amqps") || scheme.equals("rabbit") ? "rabbitmq" : scheme;
    }

    /** @return whether operations on this connection are observed */
    public boolean enabled() {
        return enabled;
    }

    /** @return the registry */
    public ObservationRegistry registry() {
        return registry;
    }

    /** @return the {@code messaging.system} tag: {@code rabbitmq} or the scheme */
    public String system() {
        return system;
    }

    /**
     * @param exchange an exchange name
     * @return it as a destination tag
     */
    public static String destination(String exchange) {
        return exchange == null || exchange.isEmpty() ? DEFAULT_EXCHANGE : exchange;
    }

    /**
     * Starts a publish observation.
     *
     * @param exchange the exchange
     * @param routingKey the routing key
     * @return the started observation; its context's carrier gets the trace context to send
     */
    Observation startPublish(String exchange, String routingKey) {
        PublishContext context = new PublishContext(exchange, routingKey);
        String destination = destination(exchange);
        context.setContextualName("publish " + destination);
        context.addLowCardinalityKeyValue(MessagingKey.MESSAGING_SYSTEM.withValue(system));
        context.addLowCardinalityKeyValue(MessagingKey.MESSAGING_OPERATION.withValue("publish"));
        context.addLowCardinalityKeyValue(MessagingKey.MESSAGING_DESTINATION.withValue(destination));
        context.addHighCardinalityKeyValue(MessagingKey.ROUTING_KEY.withValue(routingKey == null ? "" : routingKey));
        return Observation.createNotStarted(MessagingObservation.PUBLISH.getName(), () -> context, registry).start();
    }

    /**
     * Stops a publish observation with its outcome.
     *
     * @param observation the observation
     * @param error why the publish failed, or {@code null} when confirmed
     */
    static void stopPublish(Observation observation, Throwable error) {
        Throwable cause = unwrap(error);
        String outcome = cause == null ? "confirmed"
                : cause instanceof UndeliverableException ? "returned"
                : cause instanceof PublishRejectedException ? "nacked" : "failed";
        observation.lowCardinalityKeyValue(MessagingKey.OUTCOME.withValue(outcome));
        if (cause != null) {
            observation.error(cause);
        }
        observation.stop();
    }

    /**
     * The context of a plain message's handling: the trace context comes from its headers.
     *
     * @param queue the queue
     * @param message the message
     * @param service {@code consumer} or {@code worker}
     * @return the context, not started
     */
    ProcessContext consumerContext(String queue, DefaultMessage message, String service) {
        Map<String, Object> headers = message.properties().headers();
        ProcessContext context = processContext(Kind.CONSUMER, key -> header(headers.get(key)), queue, message);
        context.addLowCardinalityKeyValue(MessagingKey.SERVICE.withValue(service));
        return context;
    }

    /**
     * The context of a message's handling with the tags every {@code seedmq.process} observation
     * has but {@code seedmq.service}; an RPC server's gets RPC tags instead.
     *
     * @param kind consumer, or server for an RPC request
     * @param fields looks up a trace-context field in the message
     * @param queue the queue
     * @param message the message
     * @return the context
     */
    public ProcessContext processContext(Kind kind, UnaryOperator<String> fields, String queue, DefaultMessage message) {
        String exchange = message.exchange();
        ProcessContext context = new ProcessContext(kind, fields, queue, exchange, message.routingKey(),
                message.redelivered());
        context.addLowCardinalityKeyValue(MessagingKey.MESSAGING_SYSTEM.withValue(system));
        context.addHighCardinalityKeyValue(MessagingKey.QUEUE.withValue(queue));
        context.addHighCardinalityKeyValue(MessagingKey.ROUTING_KEY.withValue(
                message.routingKey() == null ? "" : message.routingKey()));
        if (kind != Kind.SERVER) {
            String destination = destination(exchange);
            context.setContextualName("process " + destination);
            context.addLowCardinalityKeyValue(MessagingKey.MESSAGING_OPERATION.withValue("process"));
            context.addLowCardinalityKeyValue(MessagingKey.MESSAGING_DESTINATION.withValue(destination));
            context.addLowCardinalityKeyValue(MessagingKey.REDELIVERED.withValue(String.valueOf(message.redelivered())));
        }
        return context;
    }

    /**
     * @param context a handling's context
     * @return its observation, started: {@code seedmq.rpc.server} for a server context, else {@code seedmq.process}
     */
    Observation startProcess(ProcessContext context) {
        String name = context.getKind() == Kind.SERVER ? MessagingObservation.RPC_SERVER.getName()
                : MessagingObservation.PROCESS.getName();
        return Observation.createNotStarted(name, () -> context, registry).start();
    }

    /**
     * Starts an RPC call's (or cast's) observation on the client.
     *
     * @param topic the target's topic
     * @param method the method
     * @param server the target server, or {@code null}
     * @param cast whether no result is awaited
     * @return the started observation; its context's carrier gets the trace context to send
     */
    public Observation startRpcCall(String topic, String method, String server, boolean cast) {
        RpcCallContext context = new RpcCallContext(topic, method, server, cast);
        context.setContextualName(topic + "/" + method);
        context.addLowCardinalityKeyValue(MessagingKey.MESSAGING_SYSTEM.withValue(system));
        context.addLowCardinalityKeyValue(MessagingKey.RPC_SYSTEM.withValue("oslo_messaging"));
        context.addLowCardinalityKeyValue(MessagingKey.RPC_SERVICE.withValue(topic));
        context.addLowCardinalityKeyValue(MessagingKey.RPC_METHOD.withValue(method));
        context.addHighCardinalityKeyValue(MessagingKey.RPC_SERVER.withValue(server == null ? "none" : server));
        return Observation.createNotStarted(MessagingObservation.RPC_CLIENT.getName(), () -> context, registry).start();
    }

    /**
     * Stops an RPC call's observation with its outcome.
     *
     * @param observation the observation
     * @param error why the call failed, or {@code null} when it returned (or the cast was sent)
     */
    public static void stopRpcCall(Observation observation, Throwable error) {
        Throwable cause = unwrap(error);
        boolean cast = ((RpcCallContext) observation.getContext()).cast();
        String outcome = cause == null ? (cast ? "sent" : "result")
                : cause instanceof RemoteException ? "remote_error"
                : cause instanceof RpcTimeoutException ? "timeout"
                : cause instanceof UndeliverableException ? "undeliverable" : "failed";
        observation.lowCardinalityKeyValue(MessagingKey.OUTCOME.withValue(outcome));
        observation.lowCardinalityKeyValue(MessagingKey.ERROR_TYPE.withValue(
                cause instanceof RemoteException remote ? remote.remoteClass() : "none"));
        if (cause != null) {
            observation.error(cause);
        }
        observation.stop();
    }

    /**
     * Starts a notification's observation.
     *
     * @param publisherId the notifier's publisher id
     * @param eventType the event type
     * @param priority the priority, lower case
     * @param exchange the exchange notifications go to
     * @return the started observation; its context's carrier gets the trace context to send
     */
    public Observation startNotify(String publisherId, String eventType, String priority, String exchange) {
        NotifyContext context = new NotifyContext(publisherId, eventType, priority);
        context.setContextualName("notify " + priority);
        context.addLowCardinalityKeyValue(MessagingKey.MESSAGING_SYSTEM.withValue(system));
        context.addLowCardinalityKeyValue(MessagingKey.MESSAGING_DESTINATION.withValue(destination(exchange)));
        context.addLowCardinalityKeyValue(MessagingKey.NOTIFICATION_PRIORITY.withValue(priority));
        context.addHighCardinalityKeyValue(MessagingKey.NOTIFICATION_EVENT_TYPE.withValue(String.valueOf(eventType)));
        return Observation.createNotStarted(MessagingObservation.NOTIFY.getName(), () -> context, registry).start();
    }

    /**
     * @param observation a notification's observation
     * @param error why sending failed, or {@code null}
     */
    public static void stopNotify(Observation observation, Throwable error) {
        observation.lowCardinalityKeyValue(MessagingKey.OUTCOME.withValue(error == null ? "sent" : "failed"));
        if (error != null) {
            observation.error(error);
        }
        observation.stop();
    }

    /**
     * @param error a failure as a future reports it
     * @return the failure itself
     */
    public static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    /**
     * @param value a header value as the transport decoded it
     * @return it as text ({@code byte[]} as UTF-8), or {@code null}
     */
    private static String header(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return value.toString();
    }
}
