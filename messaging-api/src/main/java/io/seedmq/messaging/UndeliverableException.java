package io.seedmq.messaging;

/**
 * A mandatory message could not be routed to any queue and the broker returned it (AMQP
 * {@code basic.return}). The publish that sent it fails with this exception; the returned
 * message is not redelivered anywhere.
 */
public class UndeliverableException extends MessagingException {
    private static final long serialVersionUID = 1L;

    private final String exchange;
    private final String routingKey;
    private final int replyCode;

    /**
     * @param exchange the exchange the message was published to ("" for the default exchange)
     * @param routingKey the routing key it carried
     * @param replyCode the broker's reply code (312 NO_ROUTE)
     * @param replyText the broker's explanation
     */
    public UndeliverableException(String exchange, String routingKey, int replyCode, String replyText) {
        super("message returned by the broker (" + replyCode + " " + replyText + "): exchange '"
                + exchange + "', routing key '" + routingKey + "'");
        this.exchange = exchange;
        this.routingKey = routingKey;
        this.replyCode = replyCode;
    }

    /** @return the exchange the returned message was published to */
    public String exchange() {
        return exchange;
    }

    /** @return the routing key of the returned message */
    public String routingKey() {
        return routingKey;
    }

    /** @return the broker's reply code, 312 (NO_ROUTE) for an unroutable message */
    public int replyCode() {
        return replyCode;
    }
}
