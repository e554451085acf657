package io.seedmq.messaging;

/**
 * A message was settled twice (acknowledged, rejected or requeued after it already was), or settled in a way its acknowledgement mode forbids. Mirrors kombu's MessageStateError.
 */
public class MessageStateException extends MessagingException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong, for a human */
    public MessageStateException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, for a human
     * @param cause the underlying failure
     */
    public MessageStateException(String message, Throwable cause) {
        super(message, cause);
    }
}
