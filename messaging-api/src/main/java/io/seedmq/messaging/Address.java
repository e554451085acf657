package io.seedmq.messaging;

import java.util.Objects;

/**
 * One broker endpoint of a connection URL.
 *
 * @param host host name or IP literal (IPv6 without brackets); for {@code memory://name} the broker name
 * @param port the port (1 to 65535), or {@link #DEFAULT_PORT} for the scheme's default (5672 for
 *     amqp, 5671 for amqps), which only {@link #defaultPort(String)} makes
 */
public record Address(String host, int port) {

    /** The port of an address that named none: the scheme's default applies. */
    public static final int DEFAULT_PORT = -1;

    /** Validates the port. */
    public Address {
        Objects.requireNonNull(host, "host");
        if (port != DEFAULT_PORT && (port < 1 || port > 65535)) {
            throw new IllegalArgumentException("port out of range (1 to 65535): " + port);
        }
    }

    /**
     * @param host host name or IP literal
     * @return an address on the scheme's default port
     */
    public static Address defaultPort(String host) {
        return new Address(host, DEFAULT_PORT);
    }

    /**
     * @param defaultPort the port to use when none was given
     * @return the port, or {@code defaultPort} when none was given
     */
    public int portOr(int defaultPort) {
        return port == DEFAULT_PORT ? defaultPort : port;
    }

    @Override
    public String toString() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return port == DEFAULT_PORT ? h : h + ":" + port;
    }
}
