package io.seedmq.messaging;

/**
 * The broker refused an operation on an entity: an exclusive queue owned by another connection, a queue with an exclusive consumer, or missing permissions (AMQP's RESOURCE_LOCKED and ACCESS_REFUSED).
 */
public class AccessRefusedException extends MessagingException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong, for a human */
    public AccessRefusedException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, for a human
     * @param cause the underlying failure
     */
    public AccessRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
