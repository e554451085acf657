package io.seedmq.messaging;

/**
 * The broker refused to take responsibility for a published message (a negative publisher confirm), for example because a queue with reject-publish overflow is full.
 */
public class PublishRejectedException extends MessagingException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong, for a human */
    public PublishRejectedException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, for a human
     * @param cause the underlying failure
     */
    public PublishRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
