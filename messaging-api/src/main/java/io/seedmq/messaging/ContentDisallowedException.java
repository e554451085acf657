package io.seedmq.messaging;

/**
 * A message's content type is not in the consumer's accept list. The message is rejected without requeue (so a dead-letter exchange takes it) and the consumer goes on.
 */
public class ContentDisallowedException extends MessagingException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong, for a human */
    public ContentDisallowedException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, for a human
     * @param cause the underlying failure
     */
    public ContentDisallowedException(String message, Throwable cause) {
        super(message, cause);
    }
}
