package io.seedmq.messaging;

/**
 * The broker could not be reached, or the connection (or channel) to it was lost while an operation was in progress. Usually transient: retrying after a back-off is reasonable.
 */
public class ConnectionException extends MessagingException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong, for a human */
    public ConnectionException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, for a human
     * @param cause the underlying failure
     */
    public ConnectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
