package io.seedmq.messaging;

import com.fasterxml.jackson.core.type.TypeReference;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A received message: body, properties, how it was delivered, and kombu's settle-once state
 * machine. A message in {@link Message.State#RECEIVED} is settled exactly once, by {@link #ack()},
 * {@link #reject()} or {@link #requeue()}; a second settle throws {@link MessageStateException}.
 * Settling is thread-safe and does not wait for the broker. {@code toString()} never decodes the body.
 */
public interface Message {

    /** Where a message is in its life. */
    enum State {
        /** Delivered, not settled yet. */
        RECEIVED,
        /** Acknowledged (by the application, or by the broker for automatic acknowledgement). */
        ACKNOWLEDGED,
        /** Rejected without requeue: dropped or dead-lettered. */
        REJECTED,
        /** Rejected with requeue: back in its queue, to be redelivered. */
        REQUEUED
    }

    /** @return the raw body; do not modify it */
    byte[] body();

    /** @return all properties */
    MessageProperties properties();

    /** @return the content type, or {@code null} */
    default String contentType() {
        return properties().contentType();
    }

    /** @return the headers, never {@code null} */
    default Map<String, Object> headers() {
        return properties().headers();
    }

    /** @return the exchange it was published to ("" for the default exchange) */
    String exchange();

    /** @return the routing key it was published with */
    String routingKey();

    /** @return whether it was delivered before and not acknowledged */
    boolean redelivered();

    /** @return the queue it came from */
    String queue();

    /**
     * The quorum queue's {@code x-delivery-count} header: what the queue counts against its
     * {@link Queue.Builder#deliveryLimit delivery limit}. Once it passes the limit the broker
     * dead-letters the message instead of delivering it again. What it counts depends on the
     * broker's version ({@link Connection#serverVersion()}):
     * <ul>
     *   <li>RabbitMQ 3.x: every return before this delivery (requeued by {@code reject} or
     *       {@code nack}, consumer cancelled, channel or connection closed); 0 on a first delivery.
     *   <li>RabbitMQ 4.3 and later (and {@code memory://}): failed deliveries only, that is
     *       {@link #requeue()} and {@link #reject()} (AMQP {@code basic.reject}) and a return by a
     *       closed channel or connection; a return without failure ({@code basic.nack}) is not
     *       counted, see {@link #acquiredCount()}.
     * </ul>
     * 0 when the header is absent: on a first delivery and on classic queues and streams, which do
     * not count.
     *
     * @return the delivery count, 0 or more
     */
    default long deliveryCount() {
        return headers().get("x-delivery-count") instanceof Number n ? n.longValue() : 0;
    }

    /**
     * How many times a quorum queue handed this message to a consumer before this delivery, failed
     * or not (the {@code x-acquired-count} header of RabbitMQ 4.3 and later, and of
     * {@code memory://}). Never less than {@link #deliveryCount()}. 0 on a first delivery, on
     * classic queues and streams, and on RabbitMQ before 4.3, which does not send the header (read
     * {@link #deliveryCount()} there: it counts every return).
     *
     * @return the acquired count, 0 or more
     */
    default long acquiredCount() {
        return headers().get("x-acquired-count") instanceof Number n ? n.longValue() : 0;
    }

    /**
     * @return the message's offset in the stream it was read from (the {@code x-stream-offset}
     *     header RabbitMQ adds), to resume from with {@link StreamOffset#offset(long)}; empty for
     *     messages of classic and quorum queues
     */
    default OptionalLong streamOffset() {
        return headers().get("x-stream-offset") instanceof Number n
                ? OptionalLong.of(n.longValue()) : OptionalLong.empty();
    }

    /** @return the consumer it was delivered to, or {@code null} when fetched with a get */
    String consumerTag();

    /**
     * Decodes the body by its content type into a type.
     *
     * @param type the target type ({@code String.class}, a record, {@code Map.class}, ...)
     * @param <T> the target type
     * @return the payload
     * @throws DecodeException if the body does not decode into that type
     * @throws ContentDisallowedException if no serializer reads its content type
     */
    <T> T payload(Class<T> type);

    /**
     * Decodes the body into a generic type.
     *
     * <pre>{@code List<Order> orders = message.payload(new TypeReference<List<Order>>() {});}</pre>
     *
     * @param type the target type
     * @param <T> the target type
     * @return the payload
     * @throws DecodeException if the body does not decode into that type
     */
    <T> T payload(TypeReference<T> type);

    /**
     * @param type any reflective type
     * @param <T> the target type
     * @return the payload
     */
    <T> T payload(Type type);

    /** @return the state */
    State state();

    /** @return whether it has been settled */
    default boolean isSettled() {
        return state() != State.RECEIVED;
    }

    /**
     * Acknowledges: the broker forgets the message. For automatically acknowledged messages this
     * is a no-op, as in kombu.
     *
     * @throws MessageStateException if already settled
     */
    void ack();

    /**
     * Rejects without requeue: the message is dropped, or dead-lettered if its queue has a
     * dead-letter exchange. A message read from a stream is acknowledged instead (RabbitMQ closes
     * the connection of a consumer that rejects on a stream; the stream keeps the message anyway).
     *
     * @throws MessageStateException if already settled or automatically acknowledged
     */
    void reject();

    /**
     * Rejects with requeue: the message goes back to its queue and is redelivered, flagged so (on
     * a quorum queue, counted toward its delivery limit). A message read from a stream is
     * acknowledged instead, as by {@link #reject()}; read it again from its {@link #streamOffset()}.
     *
     * @throws MessageStateException if already settled or automatically acknowledged
     */
    void requeue();
}
