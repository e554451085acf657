package io.seedmq.messaging;

/**
 * An exchange or queue already exists with other properties than the ones declared (AMQP's PRECONDITION_FAILED), or a conditional delete found the entity in use or not empty. Only the failing operation is affected; the connection stays usable.
 */
public class DeclarationConflictException extends MessagingException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong, for a human */
    public DeclarationConflictException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, for a human
     * @param cause the underlying failure
     */
    public DeclarationConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}
