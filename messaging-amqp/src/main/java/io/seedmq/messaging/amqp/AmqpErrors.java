package io.seedmq.messaging.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Method;
import com.rabbitmq.client.PossibleAuthenticationFailureException;
import com.rabbitmq.client.ShutdownSignalException;
import io.seedmq.messaging.AccessRefusedException;
import io.seedmq.messaging.AuthenticationException;
import io.seedmq.messaging.ConnectionException;
import io.seedmq.messaging.DeclarationConflictException;
import io.seedmq.messaging.DeprecatedFeatureException;
import io.seedmq.messaging.EntityNotFoundException;
import io.seedmq.messaging.MessagingException;
import io.seedmq.messaging.OperationTimeoutException;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Translates amqp-client failures into seedmq's exceptions, so no amqp-client type escapes the
 * transport. Messages carry the broker's reply text (which never holds credentials) and the
 * operation that failed.
 */
final class AmqpErrors {

    static final int ACCESS_REFUSED = 403;
    static final int NOT_FOUND = 404;
    static final int RESOURCE_LOCKED = 405;
    static final int PRECONDITION_FAILED = 406;
    static final int NOT_ALLOWED = 530;
    static final int INTERNAL_ERROR = 541;
    /** How RabbitMQ 4.x words a denied deprecated feature (the name between back-quotes). */
    private static final Pattern DEPRECATED = Pattern.compile("Feature `([a-z0-9_]+)` is deprecated");

    private AmqpErrors() {
    }

    /**
     * @param what the operation, for the message ("declare queue 'q'")
     * @param failure what amqp-client threw
     * @return the seedmq exception for it
     */
    static MessagingException translate(String what, Throwable failure) {
        if (failure instanceof MessagingException m) {
            return m;
        }
        if (find(failure, TimeoutException.class) != null
                || find(failure, com.rabbitmq.client.ChannelContinuationTimeoutException.class) != null) {
            return new OperationTimeoutException(what + ": no reply from the broker in time", failure);
        }
        ShutdownSignalException signal = find(failure, ShutdownSignalException.class);
        if (signal != null) {
            Method reason = signal.getReason();
            if (reason instanceof AMQP.Channel.Close close) {
                return byReplyCode(what, close.getReplyCode(), close.getReplyText(), failure);
            }
            if (reason instanceof AMQP.Connection.Close close) {
                String feature = deprecatedFeature(close.getReplyCode(), close.getReplyText());
                if (feature != null) {
                    return new DeprecatedFeatureException(what, feature, close.getReplyText(), failure);
                }
                return new ConnectionException(what + ": connection closed by the broker ("
                        + close.getReplyCode() + " " + close.getReplyText() + ")", failure);
            }
            return new ConnectionException(what + ": connection lost"
                    + (signal.isInitiatedByApplication() ? " (closed by the application)" : ""), failure);
        }
        return new ConnectionException(what + ": " + failure.getClass().getSimpleName()
                + (failure.getMessage() == null ? "" : " " + failure.getMessage()), failure);
    }

    /**
     * Translates a failure to open a connection: refused credentials or virtual host become
     * {@link AuthenticationException}, anything else {@link ConnectionException}.
     *
     * @param target the redacted URL
     * @param failure what amqp-client threw
     * @return the seedmq exception
     */
    static ConnectionException translateConnect(String target, Throwable failure) {
        if (find(failure, PossibleAuthenticationFailureException.class) != null) {
            return new AuthenticationException("broker refused the credentials for " + target, failure);
        }
        ShutdownSignalException signal = find(failure, ShutdownSignalException.class);
        if (signal != null && signal.getReason() instanceof AMQP.Connection.Close close
                && (close.getReplyCode() == ACCESS_REFUSED || close.getReplyCode() == NOT_ALLOWED)) {
            return new AuthenticationException("broker refused access to " + target + ": "
                    + close.getReplyText(), failure);
        }
        if (find(failure, TimeoutException.class) != null) {
            return new ConnectionException("timed out connecting to " + target, failure);
        }
        return new ConnectionException("could not connect to " + target + ": " + rootMessage(failure), failure);
    }

    /**
     * @return the feature RabbitMQ names in a {@code 541 INTERNAL_ERROR - Feature `name` is
     *     deprecated.} close, or {@code null} for any other close
     */
    static String deprecatedFeature(int code, String text) {
        if (code != INTERNAL_ERROR || text == null) {
            return null;
        }
        Matcher m = DEPRECATED.matcher(text);
        return m.find() ? m.group(1) : null;
    }

    private static MessagingException byReplyCode(String what, int code, String text, Throwable cause) {
        String feature = deprecatedFeature(code, text);
        if (feature != null) {
            return new DeprecatedFeatureException(what, feature, text, cause);
        }
        String message = what + ": " + text;
        return switch (code) {
            case NOT_FOUND -> new EntityNotFoundException(message, cause);
            case PRECONDITION_FAILED -> new DeclarationConflictException(message, cause);
            case ACCESS_REFUSED, RESOURCE_LOCKED -> new AccessRefusedException(message, cause);
            default -> new ConnectionException(message, cause);
        };
    }

    /** @return the reply code when the failure is a channel closed by the broker, or 0 */
    static int channelReplyCode(ShutdownSignalException signal) {
        return !signal.isHardError() && signal.getReason() instanceof AMQP.Channel.Close close
                ? close.getReplyCode() : 0;
    }

    /** @return the broker's reply text of a close, or the signal's message */
    static String replyText(ShutdownSignalException signal) {
        if (signal.getReason() instanceof AMQP.Channel.Close close) {
            return close.getReplyCode() + " " + close.getReplyText();
        }
        if (signal.getReason() instanceof AMQP.Connection.Close close) {
            return close.getReplyCode() + " " + close.getReplyText();
        }
        return signal.isInitiatedByApplication() ? "closed by the application" : "connection lost";
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : " " + root.getMessage());
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }
}
