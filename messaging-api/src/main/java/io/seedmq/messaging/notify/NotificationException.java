package io.seedmq.messaging.notify;

import io.seedmq.messaging.MessagingException;

/**
 * A notification could not be sent: the transport refused the publish, did not confirm it in
 * time, or the connection was lost. The cause says which. Other drivers of the same notifier
 * (a log driver, say) have still run.
 */
public class NotificationException extends MessagingException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong
     * @param cause the transport's exception
     */
    public NotificationException(String message, Throwable cause) {
        super(message, cause);
    }
}
