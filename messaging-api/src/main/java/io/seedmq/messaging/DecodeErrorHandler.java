package io.seedmq.messaging;

/**
 * Hears about messages a consumer refused before its handler saw them: a content type outside
 * the accept list or one no serializer reads. Those messages are already rejected without
 * requeue when this is called. The default handler logs one warning per message.
 */
@FunctionalInterface
public interface DecodeErrorHandler {

    /**
     * @param message the refused message (already settled)
     * @param error why it was refused, typically a {@link ContentDisallowedException}
     */
    void onDecodeError(Message message, MessagingException error);
}
