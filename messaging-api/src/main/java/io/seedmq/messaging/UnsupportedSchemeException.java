package io.seedmq.messaging;

/**
 * No transport on the class path handles the URL scheme asked for. The message names the schemes that are available.
 */
public class UnsupportedSchemeException extends MessagingException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong, for a human */
    public UnsupportedSchemeException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, for a human
     * @param cause the underlying failure
     */
    public UnsupportedSchemeException(String message, Throwable cause) {
        super(message, cause);
    }
}
