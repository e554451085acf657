package io.seedmq.messaging;

/**
 * A payload could not be encoded: the serializer cannot write it (a type Jackson cannot serialize,
 * a non-text payload for the text serializer), or an RPC result or notification payload is not
 * JSON. Thrown to the caller that tried to send; nothing was published.
 */
public class EncodeException extends MessagingException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong, for a human */
    public EncodeException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, for a human
     * @param cause the underlying failure
     */
    public EncodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
