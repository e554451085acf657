package io.seedmq.messaging;

/**
 * A passive declaration, a binding or an operation named an exchange or queue that does not exist (AMQP's NOT_FOUND).
 */
public class EntityNotFoundException extends MessagingException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong, for a human */
    public EntityNotFoundException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, for a human
     * @param cause the underlying failure
     */
    public EntityNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
