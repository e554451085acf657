package io.seedmq.messaging;

/**
 * The application closed the connection: what was outstanding on it (publishes awaiting their
 * confirm, calls awaiting their reply) and what is attempted on it afterwards fails with this. It
 * is not a fault, so no {@link io.seedmq.messaging.retry.RetryPolicy} retries it: a closed
 * connection does not come back.
 */
public class ConnectionClosedException extends ConnectionException {
    private static final long serialVersionUID = 1L;

    /** @param message what could not be done, for a human */
    public ConnectionClosedException(String message) {
        super(message);
    }

    /**
     * @param message what could not be done, for a human
     * @param cause the underlying signal
     */
    public ConnectionClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
