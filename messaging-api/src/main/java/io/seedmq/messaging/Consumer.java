package io.seedmq.messaging;

import java.util.List;

/**
 * Consumes one or more queues and hands each message to a {@link MessageHandler}. Made by
 * {@link Connection#consumer}; nothing is consumed until {@link #start()}.
 *
 * <p>Threading: messages from one queue reach the handler one at a time, in delivery order; with
 * several queues, handlers for different queues may run concurrently. Messages outside the accept
 * list are rejected without requeue and reported to the options' {@link DecodeErrorHandler}.
 */
public interface Consumer extends AutoCloseable {

    /**
     * Declares the queues (unless told not to) and subscribes. Idempotent.
     *
     * @throws EntityNotFoundException if a queue does not exist and declaring is off
     * @throws DeclarationConflictException if a queue exists with other properties
     */
    void start();

    /**
     * Stops consuming. Messages already delivered but not yet handed to the handler are requeued
     * (redelivered); messages the handler holds can still be settled. Idempotent.
     */
    void cancel();

    /** @return whether it is subscribed */
    boolean isActive();

    /** @return the queues' actual names (server-named queues included), once started */
    List<String> queueNames();

    /** @return the options it was made with */
    ConsumerOptions options();

    /** Same as {@link #cancel()}. */
    @Override
    void close();
}
