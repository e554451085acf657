package io.seedmq.messaging;

/**
 * The root of every exception seedmq throws. It is unchecked: messaging failures are usually
 * handled at the edge of a service (a retry policy, a worker loop), not at every call site.
 * Subclasses name the failure precisely, so callers catch what they can handle and let the rest
 * travel. Messages never contain credentials.
 */
public class MessagingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong, for a human */
    public MessagingException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, for a human
     * @param cause the underlying failure
     */
    public MessagingException(String message, Throwable cause) {
        super(message, cause);
    }
}
