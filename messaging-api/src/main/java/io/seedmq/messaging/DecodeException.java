package io.seedmq.messaging;

/**
 * A message body could not be decoded into the requested type (its encoding failures are
 * {@link EncodeException}). The message is never requeued because of it: redelivery would fail the
 * same way.
 */
public class DecodeException extends MessagingException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong, for a human */
    public DecodeException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, for a human
     * @param cause the underlying failure
     */
    public DecodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
