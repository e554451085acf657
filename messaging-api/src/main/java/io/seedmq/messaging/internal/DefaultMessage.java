package io.seedmq.messaging.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import io.seedmq.messaging.Message;
import io.seedmq.messaging.MessageProperties;
import io.seedmq.messaging.MessageStateException;
import io.seedmq.messaging.observation.ProcessContext;
import io.seedmq.messaging.serialization.Serializer;
import io.seedmq.messaging.serialization.SerializerRegistry;
import io.seedmq.messaging.spi.Delivery;
import io.seedmq.messaging.spi.DeliveryInfo;
import java.lang.reflect.Type;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** A {@link Message} over a transport {@link Delivery}, enforcing settle-once. */
public final class DefaultMessage implements Message {
    /** Settles {@link #state} once; a field rather than an AtomicReference, to allocate one object less per message. */
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(DefaultMessage.class, "state", State.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Delivery delivery;
    private final SerializerRegistry serializers;
    private final boolean autoAck;
    private volatile State state;
    /** What the handling of this message is observed as; {@code null} when it is not. Set before the handler runs. */
    private volatile ProcessContext observed;
    /** What a service decoded from the body before its handler ran (to observe it), so it decodes once. */
    private volatile Object decoded;

    DefaultMessage(Delivery delivery, SerializerRegistry serializers, boolean autoAck) {
        this.delivery = delivery;
        this.serializers = serializers;
        this.autoAck = autoAck;
        this.state = autoAck ? State.ACKNOWLEDGED : State.RECEIVED;
    }

    @Override
    public byte[] body() {
        return delivery.body();
    }

    @Override
    public MessageProperties properties() {
        return delivery.properties();
    }

    @Override
    public String exchange() {
        return delivery.info().exchange();
    }

    @Override
    public String routingKey() {
        return delivery.info().routingKey();
    }

    @Override
    public boolean redelivered() {
        return delivery.redelivered();
    }

    @Override
    public String queue() {
        return delivery.info().queue();
    }

    @Override
    public String consumerTag() {
        return delivery.info().consumerTag();
    }

    @Override
    public <T> T payload(Class<T> type) {
        return payload((Type) type);
    }

    @Override
    public <T> T payload(TypeReference<T> type) {
        return payload(type.getType());
    }

    @Override
    public <T> T payload(Type type) {
        String contentType = contentType();
        // kombu sends bodies without a content type as raw bytes.
        Serializer serializer = contentType == null ? serializers.byName("bytes") : serializers.byContentType(contentType);
        return serializer.decode(body(), type);
    }

    @Override
    public State state() {
        return state;
    }

    @Override
    public void ack() {
        if (autoAck) {
            return;
        }
        settle(State.ACKNOWLEDGED);
        delivery.ack();
    }

    @Override
    public void reject() {
        settle(State.REJECTED);
        reject(delivery, false);
    }

    @Override
    public void requeue() {
        settle(State.REQUEUED);
        reject(delivery, true);
    }

    /**
     * Gives the message back without a verdict ({@link Delivery#release()}): for a delivery seedmq
     * never handed to a handler. It then reads as requeued.
     */
    void release() {
        settle(State.REQUEUED);
        release(delivery);
    }

    /** Releases a delivery ({@link Delivery#release()}), or acknowledges it if it came from a stream, as {@link #reject(Delivery, boolean)}. */
    static void release(Delivery delivery) {
        if (delivery.properties().headers().containsKey("x-stream-offset")) {
            delivery.ack();
        } else {
            delivery.release();
        }
    }

    /**
     * Rejects a delivery, or acknowledges it if it came from a stream: RabbitMQ refuses
     * {@code basic.reject} and {@code basic.nack} on a stream by closing the connection, and the
     * stream keeps the message whatever the consumer says. A stream delivery is recognised by the
     * {@code x-stream-offset} header the broker adds to it.
     */
    static void reject(Delivery delivery, boolean requeue) {
        if (delivery.properties().headers().containsKey("x-stream-offset")) {
            delivery.ack();
        } else {
            delivery.reject(requeue);
        }
    }

    private void settle(State target) {
        if (autoAck) {
            throw new MessageStateException("message was acknowledged automatically on delivery; it cannot be "
                    + (target == State.REJECTED ? "rejected" : "requeued"));
        }
        State before = (State) STATE.compareAndExchange(this, State.RECEIVED, target);
        if (before != State.RECEIVED) {
            throw new MessageStateException("message already " + before.name().toLowerCase(java.util.Locale.ROOT)
                    + "; it cannot be " + verb(target));
        }
    }

    private static String verb(State target) {
        return switch (target) {
            case ACKNOWLEDGED -> "acknowledged";
            case REJECTED -> "rejected";
            case REQUEUED -> "requeued";
            case RECEIVED -> "received";
        };
    }

    void observedAs(ProcessContext context) {
        this.observed = context;
    }

    /** @return what the handling of this message is observed as, or {@code null} when it is not */
    public ProcessContext observed() {
        return observed;
    }

    /** @param value what a service decoded from the body while describing the message */
    public void decoded(Object value) {
        this.decoded = value;
    }

    /** @return what a service decoded from the body while describing the message, or {@code null} */
    public Object decoded() {
        return decoded;
    }

    /** @return the delivery underneath, for settling from inside the API layer */
    Delivery delivery() {
        return delivery;
    }

    @Override
    public String toString() {
        DeliveryInfo info = delivery.info();
        return "Message[queue=" + info.queue() + ", exchange=" + info.exchange() + ", routingKey=" + info.routingKey()
                + ", contentType=" + contentType() + ", bodySize=" + delivery.body().length
                + (info.redelivered() ? ", redelivered" : "") + ", state=" + state + "]";
    }
}
