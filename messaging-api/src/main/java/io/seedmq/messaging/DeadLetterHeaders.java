package io.seedmq.messaging;

/**
 * Headers on the copy of a message that failed for good, when its consumer republishes it to the
 * queue's dead-letter exchange with the cause ({@link ConsumerOptions.Builder#deadLetterWithCause}).
 * The original headers are kept beside them.
 */
public final class DeadLetterHeaders {

    /** The class of the exception that failed the message. */
    public static final String EXCEPTION_CLASS = "x-exception-class";
    /** That exception's message, at most 1,000 characters. */
    public static final String EXCEPTION_MESSAGE = "x-exception-message";
    /** The exchange the message was first published to. */
    public static final String ORIGINAL_EXCHANGE = "x-original-exchange";
    /** Its routing key then. */
    public static final String ORIGINAL_ROUTING_KEY = "x-original-routing-key";
    /** The queue it failed in. */
    public static final String ORIGINAL_QUEUE = "x-original-queue";

    private DeadLetterHeaders() {
    }
}
