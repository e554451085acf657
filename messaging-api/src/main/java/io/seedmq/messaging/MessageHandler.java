package io.seedmq.messaging;

/**
 * Handles one delivered message. With {@link AckMode#MANUAL} the handler settles it; if the
 * handler returns without settling, the message stays unacknowledged (it may be settled later
 * from another thread). If the handler throws and the message is unsettled, it is rejected
 * without requeue (dead-lettered where the queue has a dead-letter exchange) and the error is
 * logged: a failing message is never redelivered forever and never stops the consumer.
 */
@FunctionalInterface
public interface MessageHandler {

    /**
     * @param message the message
     * @throws Exception to reject an unsettled message
     */
    void handle(Message message) throws Exception;
}
