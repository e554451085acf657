package io.seedmq.messaging;

import java.util.Objects;

/**
 * One broker endpoint of a connection URL.
 *
 * @param host host name or IP literal (IPv6 without brackets); for {@code memory://name} the broker name
 * @param port the port, or {@code -1} for the scheme's default (5672 for amqp, 5671 for amqps)
 */
public record Address(String host, int port) {

    /** Validates the port. */
    public Address {
        Objects.requireNonNull(host, "host");
        if (port != -1 && (port < 1 || port > 65535)) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /**
     * @param defaultPort the port to use when none was given
     * @return the port, or {@code defaultPort} when none was given
     */
    public int portOr(int defaultPort) {
        return port == -1 ? defaultPort : port;
    }

    @Override
    public String toString() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return port == -1 ? h : h + ":" + port;
    }
}
