package io.seedmq.messaging;

/**
 * A SimpleQueue get found no message within its timeout. Mirrors kombu's SimpleQueue Empty.
 */
public class EmptyQueueException extends MessagingException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong, for a human */
    public EmptyQueueException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, for a human
     * @param cause the underlying failure
     */
    public EmptyQueueException(String message, Throwable cause) {
        super(message, cause);
    }
}
