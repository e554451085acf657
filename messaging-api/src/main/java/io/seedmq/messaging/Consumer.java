package io.seedmq.messaging;

import java.util.List;

/**
 * Consumes one or more queues and hands each message to a {@link MessageHandler}. Made by
 * {@link Connection#consumer}; nothing is consumed until {@link #start()}. Its life cycle is
 * the one every seedmq service has ({@link Lifecycle}): it starts once, stops within a bound,
 * reports {@code RECOVERING} while its connection is restored, and {@code FAILED} when the broker
 * cancels it (its queue was deleted) or the connection is lost for good.
 *
 * <p>Threading: see {@link ConsumerOptions}: by default messages from one queue reach the handler
 * one at a time, in delivery order. Messages outside the accept list, or larger than the maximum
 * body size, are rejected without requeue and reported to the options' {@link DecodeErrorHandler}.
 * A handler that throws is run again under {@link ConsumerOptions#handlerRetry()}, then its
 * message is dead-lettered (rejected without requeue, or republished with the cause in
 * {@link DeadLetterHeaders}).
 */
public interface Consumer extends Lifecycle {

    /**
     * Declares the queues (unless told not to) and subscribes; returns once subscribed.
     *
     * @throws EntityNotFoundException if a queue does not exist and declaring is off
     * @throws DeclarationConflictException if a queue exists with other properties
     * @throws IllegalStateException if it was stopped before
     */
    @Override
    void start();

    /** @return the queues' actual names (server-named queues included), once started */
    List<String> queueNames();

    /** @return the options it was made with */
    ConsumerOptions options();
}
