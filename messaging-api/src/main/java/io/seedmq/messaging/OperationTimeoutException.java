package io.seedmq.messaging;

/**
 * A blocking operation did not complete within its bound: a publish confirm, a declaration, a connection attempt or a stop. The operation may still complete later on the broker; the caller has stopped waiting.
 */
public class OperationTimeoutException extends MessagingException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong, for a human */
    public OperationTimeoutException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, for a human
     * @param cause the underlying failure
     */
    public OperationTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
