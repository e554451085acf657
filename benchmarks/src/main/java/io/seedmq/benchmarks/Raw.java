package io.seedmq.benchmarks;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.ConnectionFactory;
import java.net.URI;

/** What the raw amqp-client references share: a connection factory from the benchmark URL, and properties. */
final class Raw {

    /** What seedmq sends with a {@code byte[]} payload; the references send the same. */
    static final String CONTENT_TYPE = "application/octet-stream";
    static final String CONTENT_ENCODING = "binary";

    private Raw() {
    }

    /**
     * @param url a seedmq AMQP URL ({@code amqp}, {@code amqps} or {@code rabbit}); seedmq's own
     *     query parameters are dropped, amqp-client does not know them
     * @return a factory for the same broker, without automatic recovery (nothing to recover in a benchmark)
     */
    static ConnectionFactory factory(String url) throws Exception {
        URI uri = URI.create(url);
        String scheme = "rabbit".equals(uri.getScheme()) ? "amqp" : uri.getScheme();
        URI plain = new URI(scheme, uri.getRawUserInfo() == null ? null : uri.getUserInfo(), uri.getHost(),
                uri.getPort(), null, null, null);
        ConnectionFactory f = new ConnectionFactory();
        // A bare "/" names the default virtual host for seedmq, but an empty one for amqp-client.
        String path = uri.getRawPath() == null || uri.getRawPath().length() <= 1 ? "" : uri.getRawPath();
        f.setUri(plain.toString() + path);
        f.setAutomaticRecoveryEnabled(false);
        return f;
    }

    /** @return the URL without its password, for messages */
    static String redacted(String url) {
        return url.replaceAll("//([^:/@]+):[^@]*@", "//$1:***@");
    }

    /**
     * @param persistent delivery mode 2 rather than 1
     * @return the properties seedmq puts on a raw {@code byte[]} publish
     */
    static AMQP.BasicProperties properties(boolean persistent) {
        return new AMQP.BasicProperties.Builder().contentType(CONTENT_TYPE).contentEncoding(CONTENT_ENCODING)
                .deliveryMode(persistent ? 2 : 1).build();
    }
}
