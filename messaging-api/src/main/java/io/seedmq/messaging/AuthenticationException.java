package io.seedmq.messaging;

/**
 * The broker refused the credentials or the virtual host. Not transient: retrying with the same settings fails the same way, so retry policies treat it as final.
 */
public class AuthenticationException extends ConnectionException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong, for a human */
    public AuthenticationException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, for a human
     * @param cause the underlying failure
     */
    public AuthenticationException(String message, Throwable cause) {
        super(message, cause);
    }
}
