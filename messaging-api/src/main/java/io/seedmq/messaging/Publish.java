package io.seedmq.messaging;

import io.seedmq.messaging.retry.RetryPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where and how to publish one message: an immutable value whose methods return modified
 * copies, so a configured {@code Publish} can be kept as a template and shared between threads.
 *
 * <pre>{@code
 * Publish toErrors = Publish.to(Exchange.topic("topic_logs")).routingKey("mysql.error");
 * producer.publish("disk full", toErrors);
 * producer.publish(order, Publish.toQueue("orders").persistent(true).header("tenant", "acme"));
 * producer.publish("disk full", Publish.toExchange("topic_logs").routingKey("kern.critical"));  // declared by its owner
 * }</pre>
 *
 * Unless told otherwise a message is persistent (delivery mode 2, as kombu), not mandatory, and
 * its serializer follows from the payload (see {@link io.seedmq.messaging.serialization.SerializerRegistry#forPayload}).
 */
public final class Publish {

    private static final Publish DEFAULTS = new Publish(Exchange.DEFAULT, "", null, null,
            MessageProperties.builder().build(), false, List.of(), null, true);

    private final Exchange exchange;
    private final String routingKey;
    private final String serializer;
    private final String contentType;
    private final MessageProperties properties;
    private final boolean mandatory;
    private final List<Object> declare;
    private final RetryPolicy retry;
    private final boolean confirm;

    private Publish(Exchange exchange, String routingKey, String serializer, String contentType,
                    MessageProperties properties, boolean mandatory, List<Object> declare, RetryPolicy retry,
                    boolean confirm) {
        this.exchange = exchange;
        this.routingKey = routingKey;
        this.serializer = serializer;
        this.contentType = contentType;
        this.properties = properties;
        this.mandatory = mandatory;
        this.declare = declare;
        this.retry = retry;
        this.confirm = confirm;
    }

    /** @return publishing to the default exchange with an empty routing key (set one with {@link #routingKey}) */
    public static Publish defaults() {
        return DEFAULTS;
    }

    /**
     * @param exchange the exchange; it is declared before the first publish on a connection (an
     *     exchange another application owns is published to with {@link #toExchange(String)} instead)
     * @return publishing to that exchange
     */
    public static Publish to(Exchange exchange) {
        Objects.requireNonNull(exchange, "exchange");
        List<Object> declare = exchange.isDefault() ? List.of() : List.of(exchange);
        return new Publish(exchange, "", null, null, DEFAULTS.properties, false, declare, null, true);
    }

    /**
     * Publishes to an exchange another application declared and owns, by name, without declaring
     * it: seedmq never repeats (and so never has to match) its owner's properties, as Spring AMQP
     * never declares on send and kombu's {@code auto_declare=False} does not. When the exchange does
     * not exist the publish fails with {@link EntityNotFoundException}; to learn that at start-up
     * rather than on the first message, check it once with {@link Connection#checkExchange(String)}
     * (a passive declaration).
     *
     * @param exchange the exchange's name; "" for the default exchange
     * @return publishing to that exchange; {@link #exchange()} carries only the name (its type and
     *     flags are unknown and unused, as nothing is declared)
     */
    public static Publish toExchange(String exchange) {
        Objects.requireNonNull(exchange, "exchange");
        return exchange.isEmpty() ? DEFAULTS
                : new Publish(Exchange.builder(exchange, ExchangeType.DIRECT).build(), "", null, null,
                        DEFAULTS.properties, false, List.of(), null, true);
    }

    /**
     * @param queue a queue name
     * @return publishing through the default exchange straight to that queue
     */
    public static Publish toQueue(String queue) {
        return DEFAULTS.routingKey(queue);
    }

    /**
     * @param queue a queue, declared (with its bindings) before the first publish on a connection
     * @return publishing through the default exchange to that queue
     */
    public static Publish toQueue(Queue queue) {
        if (queue.isServerNamed()) {
            throw new IllegalArgumentException("publish to a server-named queue by the name the broker gave it");
        }
        return DEFAULTS.routingKey(queue.name()).declare(queue);
    }

    /**
     * @param key the routing key
     * @return a copy with that routing key
     */
    public Publish routingKey(String key) {
        return new Publish(exchange, Objects.requireNonNull(key, "key"), serializer, contentType, properties,
                mandatory, declare, retry, confirm);
    }

    /**
     * @param name serializer name ({@code json}, {@code text}, {@code bytes} or one registered)
     * @return a copy encoding the payload with that serializer
     */
    public Publish serializer(String name) {
        return new Publish(exchange, routingKey, Objects.requireNonNull(name, "name"), contentType, properties,
                mandatory, declare, retry, confirm);
    }

    /**
     * Sends an already-encoded {@code byte[]} payload with this content type and encoding.
     *
     * @param contentType the MIME type
     * @param contentEncoding the encoding ({@code utf-8}, {@code binary}), or {@code null}
     * @return a copy sending raw bytes labelled so
     */
    public Publish contentType(String contentType, String contentEncoding) {
        return new Publish(exchange, routingKey, serializer, Objects.requireNonNull(contentType, "contentType"),
                properties.toBuilder().contentType(contentType).contentEncoding(contentEncoding).build(),
                mandatory, declare, retry, confirm);
    }

    /**
     * @param name header name
     * @param value header value
     * @return a copy with the header
     */
    public Publish header(String name, Object value) {
        return withProperties(properties.toBuilder().header(name, value).build());
    }

    /**
     * @param headers headers to add
     * @return a copy with the headers
     */
    public Publish headers(Map<String, ?> headers) {
        return withProperties(properties.toBuilder().headers(headers).build());
    }

    /**
     * @param priority 0 to 255
     * @return a copy with that priority
     */
    public Publish priority(int priority) {
        return withProperties(properties.toBuilder().priority(priority).build());
    }

    /**
     * @param ttl per-message time-to-live
     * @return a copy expiring after it
     */
    public Publish expiration(Duration ttl) {
        return withProperties(properties.toBuilder().expiration(ttl).build());
    }

    /**
     * @param persistent persistent (default) or transient
     * @return a copy
     */
    public Publish persistent(boolean persistent) {
        return withProperties(properties.toBuilder().persistent(persistent).build());
    }

    /**
     * @param id correlation id
     * @return a copy
     */
    public Publish correlationId(String id) {
        return withProperties(properties.toBuilder().correlationId(id).build());
    }

    /**
     * @param queue the queue replies should go to
     * @return a copy
     */
    public Publish replyTo(String queue) {
        return withProperties(properties.toBuilder().replyTo(queue).build());
    }

    /**
     * @param id message id
     * @return a copy
     */
    public Publish messageId(String id) {
        return withProperties(properties.toBuilder().messageId(id).build());
    }

    /**
     * @param timestamp creation time
     * @return a copy
     */
    public Publish timestamp(Instant timestamp) {
        return withProperties(properties.toBuilder().timestamp(timestamp).build());
    }

    /**
     * @param type application message type
     * @return a copy
     */
    public Publish type(String type) {
        return withProperties(properties.toBuilder().type(type).build());
    }

    /**
     * @param appId publishing application
     * @return a copy
     */
    public Publish appId(String appId) {
        return withProperties(properties.toBuilder().appId(appId).build());
    }

    /**
     * @param mandatory whether an unroutable message fails the publish with
     *     {@link UndeliverableException} instead of being dropped
     * @return a copy
     */
    public Publish mandatory(boolean mandatory) {
        return new Publish(exchange, routingKey, serializer, contentType, properties, mandatory, declare, retry, confirm);
    }

    /**
     * @param entities exchanges and queues to declare before the first publish on a connection
     * @return a copy that declares them too
     */
    public Publish declare(Object... entities) {
        List<Object> more = new ArrayList<>(declare);
        for (Object e : entities) {
            if (!(e instanceof Exchange) && !(e instanceof Queue)) {
                throw new IllegalArgumentException("only exchanges and queues can be declared, not " + e);
            }
            more.add(e);
        }
        return new Publish(exchange, routingKey, serializer, contentType, properties, mandatory, List.copyOf(more), retry, confirm);
    }

    /**
     * @param properties properties replacing the current ones (content type is still set by the serializer)
     * @return a copy
     */
    public Publish properties(MessageProperties properties) {
        return withProperties(Objects.requireNonNull(properties, "properties"));
    }

    private Publish withProperties(MessageProperties p) {
        return new Publish(exchange, routingKey, serializer, contentType, p, mandatory, declare, retry, confirm);
    }

    /**
     * @param policy how this publish is retried when the connection drops before the broker
     *     confirmed it (or during an outage); {@code null} for the connection's
     *     {@link ConnectionOptions#retryPolicy()}. When the attempts run out the publish fails with
     *     the last failure (typically {@link ConnectionException}): it is never dropped silently.
     * @return a copy
     */
    public Publish retry(RetryPolicy policy) {
        return new Publish(exchange, routingKey, serializer, contentType, properties, mandatory, declare, policy, confirm);
    }

    /**
     * Whether the publish waits for the broker's confirm. Confirms are the default, and every
     * guarantee of docs/guarantees.md about publishing assumes them. {@code confirm(false)} is the
     * fire-and-forget publish of a transient stream (kombu's and Spring AMQP's default): the publish
     * completes once the message is written to the broker's connection, so a fast publisher is held
     * back only by TCP and the broker's flow control, not by a round trip, and
     * {@link Producer#publishAsync} frees its room in the window at once. What it gives up:
     * <ul>
     *   <li>a message the broker drops (a missing exchange, which closes the channel with 404; a
     *       resource alarm; a connection lost while the message is in a socket buffer; a broker
     *       crash) is lost without the publish failing, and so without a retry;</li>
     *   <li>a negative confirm ({@link PublishRejectedException}, for example a full queue with
     *       {@code reject-publish}) is never reported;</li>
     *   <li>it cannot be {@link #mandatory(boolean) mandatory}: a return could not fail a publish that
     *       already completed, so the producer refuses the combination;</li>
     *   <li>on RabbitMQ such publishes go out on channels of their own, not in confirm mode, so a
     *       thread's unconfirmed publishes keep their order among themselves but not relative to its
     *       confirmed ones.</li>
     * </ul>
     * A failure while handing the message over (the connection is down, the broker blocks publishers
     * beyond the operation timeout) still fails the publish, and is retried by its policy. The
     * in-memory transport routes a message before the publish returns either way.
     *
     * @param confirm {@code false} to complete without waiting for the broker's confirm
     * @return a copy
     */
    public Publish confirm(boolean confirm) {
        return new Publish(exchange, routingKey, serializer, contentType, properties, mandatory, declare, retry, confirm);
    }

    /** @return whether the publish waits for the broker's confirm (the default) */
    public boolean confirm() {
        return confirm;
    }

    /** @return the retry policy of this publish, or {@code null} for the connection's */
    public RetryPolicy retryPolicy() {
        return retry;
    }

    /**
     * @return the exchange; after {@link #toExchange(String)} only its name is meaningful
     */
    public Exchange exchange() {
        return exchange;
    }

    /** @return the routing key */
    public String routingKey() {
        return routingKey;
    }

    /** @return the serializer name, or {@code null} to choose by payload */
    public String serializer() {
        return serializer;
    }

    /** @return an explicit content type for raw bytes, or {@code null} */
    public String contentType() {
        return contentType;
    }

    /** @return the message properties so far */
    public MessageProperties properties() {
        return properties;
    }

    /** @return whether unroutable messages fail the publish */
    public boolean mandatory() {
        return mandatory;
    }

    /** @return entities to declare first */
    public List<Object> declarations() {
        return declare;
    }

    @Override
    public String toString() {
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("exchange", exchange.name());
        shown.put("routingKey", routingKey);
        if (serializer != null) {
            shown.put("serializer", serializer);
        }
        if (mandatory) {
            shown.put("mandatory", true);
        }
        if (!confirm) {
            shown.put("confirm", false);
        }
        return "Publish" + shown;
    }
}
