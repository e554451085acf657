package io.seedmq.messaging.rpc;

import io.seedmq.messaging.MessagingException;

/**
 * A target cannot be used for what was asked (oslo's {@code InvalidTarget}): a call to a fanout
 * target, a send without a topic, a server without a topic or server name. Nothing was sent.
 */
public class InvalidTargetException extends MessagingException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong
     * @param target the target
     */
    public InvalidTargetException(String message, Target target) {
        super(message + ": " + target);
    }
}
