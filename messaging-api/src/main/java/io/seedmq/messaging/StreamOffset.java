package io.seedmq.messaging;

import java.time.Instant;
import java.util.Date;
import java.util.Objects;

/**
 * Where a consumer starts reading a stream ({@link QueueType#STREAM}): sent as the consumer
 * argument {@code x-stream-offset}. Each consumer reads from its own offset; reading and
 * acknowledging remove nothing from the stream. Immutable; make one with the static factories.
 *
 * <p>Offsets count messages from 0 for the first message the stream ever took; retention
 * ({@code x-max-length-bytes}, {@code x-max-age}) may have removed the oldest, and an offset
 * before the first one kept reads from the first one kept. Each message carries its offset
 * ({@link Message#streamOffset()}), so a consumer can store where it got to and resume there.
 */
public final class StreamOffset {
    private static final StreamOffset FIRST = new StreamOffset("first");
    private static final StreamOffset LAST = new StreamOffset("last");
    private static final StreamOffset NEXT = new StreamOffset("next");

    /** {@code "first"}, {@code "last"}, {@code "next"}, a {@link Long} or an {@link Instant}. */
    private final Object value;

    private StreamOffset(Object value) {
        this.value = value;
    }

    /** @return the first message the stream still holds */
    public static StreamOffset first() {
        return FIRST;
    }

    /**
     * @return the last chunk written: on RabbitMQ a chunk is a batch of messages written together,
     *     so this may start a few messages before the very last one (on {@code memory://} each
     *     message is a chunk of its own)
     */
    public static StreamOffset last() {
        return LAST;
    }

    /** @return only messages published after the consumer subscribed (RabbitMQ's default) */
    public static StreamOffset next() {
        return NEXT;
    }

    /**
     * @param offset a message's offset, as {@link Message#streamOffset()} gave it
     * @return that message and everything after it
     */
    public static StreamOffset offset(long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("a stream offset is not negative: " + offset);
        }
        return new StreamOffset(offset);
    }

    /**
     * @param time a point in time, with second precision (AMQP timestamps are seconds)
     * @return messages from the chunk written at or just before that time (RabbitMQ), from the
     *     first message written at or after it ({@code memory://})
     */
    public static StreamOffset timestamp(Instant time) {
        return new StreamOffset(Objects.requireNonNull(time, "time"));
    }

    /**
     * @return the value of the {@code x-stream-offset} consumer argument: {@code "first"},
     *     {@code "last"}, {@code "next"}, a {@link Long}, or an {@link Instant} (sent as an AMQP timestamp)
     */
    public Object argumentValue() {
        return value;
    }

    /**
     * Reads the value of an {@code x-stream-offset} consumer argument, as a transport receives it.
     *
     * @param argument {@code "first"}, {@code "last"}, {@code "next"}, an integral {@link Number},
     *     an {@link Instant} or a {@link Date}; {@code null} for {@link #next()}
     * @return the offset
     * @throws IllegalArgumentException for anything else
     */
    public static StreamOffset parse(Object argument) {
        if (argument == null) {
            return NEXT;
        }
        if (argument instanceof Number n && !(argument instanceof Double) && !(argument instanceof Float)) {
            return offset(n.longValue());
        }
        if (argument instanceof Instant i) {
            return timestamp(i);
        }
        if (argument instanceof Date d) {
            return timestamp(d.toInstant());
        }
        return switch (argument.toString()) {
            case "first" -> FIRST;
            case "last" -> LAST;
            case "next" -> NEXT;
            default -> throw new IllegalArgumentException("invalid x-stream-offset: " + argument);
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StreamOffset s && value.equals(s.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return "StreamOffset[" + value + "]";
    }
}
