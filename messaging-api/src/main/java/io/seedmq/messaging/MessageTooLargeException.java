package io.seedmq.messaging;

/**
 * A delivered body is larger than the consumer's {@link ConsumerOptions#maxBodySize()}. The message
 * is refused before any decoding, like a disallowed content type: rejected without requeue (so a
 * dead-letter exchange takes it) and the consumer goes on.
 */
public class MessageTooLargeException extends ContentDisallowedException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong, for a human */
    public MessageTooLargeException(String message) {
        super(message);
    }
}
