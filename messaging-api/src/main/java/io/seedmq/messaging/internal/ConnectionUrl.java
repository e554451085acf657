package io.seedmq.messaging.internal;

import io.seedmq.messaging.Address;
import io.seedmq.messaging.ConnectionOptions;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The text of connection URLs: parsing the forms {@link ConnectionOptions} documents into a
 * builder, printing options back as a URL with the password masked, and masking passwords in raw
 * text for error messages. What a query parameter means is the builder's business
 * ({@link ConnectionOptions.Builder#parameter}); this class only splits the text.
 */
public final class ConnectionUrl {

    private ConnectionUrl() {
    }

    /**
     * Parses a connection URL, or kombu's {@code ;}-separated failover list of them.
     *
     * @param url the URL
     * @return a builder holding what the URL says, to build or to refine
     * @throws IllegalArgumentException if it is malformed; the message never contains the password
     */
    public static ConnectionOptions.Builder parse(String url) {
        Objects.requireNonNull(url, "url");
        ConnectionOptions.Builder builder = null;
        String scheme = null;
        List<Address> addresses = new ArrayList<>();
        for (String one : url.trim().split(";")) {
            if (one.isBlank()) {
                continue;
            }
            Parsed parsed = parseOne(one.trim());
            if (builder == null) {
                builder = parsed.builder();
                scheme = parsed.scheme();
            } else if (!sameTransport(scheme, parsed.scheme())) {
                throw new IllegalArgumentException("a failover list mixes schemes " + scheme + " and " + parsed.scheme());
            }
            // Of the later URLs of a failover list only the hosts count, as in kombu.
            addresses.addAll(parsed.addresses());
        }
        if (builder == null) {
            throw new IllegalArgumentException("empty connection URL");
        }
        return builder.addresses(addresses);
    }

    /**
     * @param options connection options
     * @return the URL they stand for, with the password replaced by {@code ****}
     */
    public static String redacted(ConnectionOptions options) {
        StringBuilder s = new StringBuilder(options.scheme()).append("://");
        boolean memory = "memory".equals(options.scheme());
        if (!memory) {
            s.append(encode(options.username())).append(options.password() == null ? "" : ":****").append('@');
        }
        List<Address> addresses = options.addresses();
        for (int i = 0; i < addresses.size(); i++) {
            s.append(i == 0 ? "" : ",").append(addresses.get(i));
        }
        if (!memory) {
            s.append('/').append(encode(options.virtualHost()));
        }
        return s.toString();
    }

    /**
     * Masks whatever stands between {@code user:} and {@code @} in raw text, for error messages
     * about text that may not even be a URL (a missing colon, a stray separator).
     *
     * @param url text that may hold a URL with credentials
     * @return the text with every password replaced by {@code ****}
     */
    public static String redact(String url) {
        return url.replaceAll("(://[^:/@,]*:)[^@/]*@", "$1****@").replaceAll("(,[^:/@,]*:)[^@/,]*@", "$1****@")
                .replaceAll("(^|[/,;])([^:/@,;]*:)[^@]*@", "$1$2****@");
    }

    private record Parsed(String scheme, List<Address> addresses, ConnectionOptions.Builder builder) {
    }

    private static boolean sameTransport(String a, String b) {
        return normalScheme(a).equals(normalScheme(b));
    }

    private static String normalScheme(String scheme) {
        return "rabbit".equals(scheme) || "pyamqp".equals(scheme) ? "amqp" : scheme;
    }

    private static Parsed parseOne(String url) {
        int sep = url.indexOf("://");
        if (sep <= 0) {
            throw new IllegalArgumentException("not a connection URL (scheme://...): " + redact(url));
        }
        String scheme = url.substring(0, sep);
        ConnectionOptions.Builder b = ConnectionOptions.builder().scheme(scheme);
        String rest = url.substring(sep + 3);
        int query = rest.indexOf('?');
        String queryPart = query >= 0 ? rest.substring(query + 1) : "";
        rest = query >= 0 ? rest.substring(0, query) : rest;
        int slash = rest.indexOf('/');
        String authority = slash >= 0 ? rest.substring(0, slash) : rest;
        String path = slash >= 0 ? rest.substring(slash + 1) : null;

        List<Address> addresses = new ArrayList<>();
        String user = null;
        String pass = null;
        for (String hostPart : authority.split(",")) {
            if (hostPart.isEmpty()) {
                continue;
            }
            int at = hostPart.lastIndexOf('@');
            if (at >= 0) {
                String userInfo = hostPart.substring(0, at);
                int colon = userInfo.indexOf(':');
                String u = decode(colon >= 0 ? userInfo.substring(0, colon) : userInfo);
                String p = colon >= 0 ? decode(userInfo.substring(colon + 1)) : null;
                if (user != null && (!user.equals(u) || !Objects.equals(pass, p))) {
                    throw new IllegalArgumentException("hosts of one URL must share their credentials: " + redact(url));
                }
                user = u;
                pass = p;
                hostPart = hostPart.substring(at + 1);
            }
            if (!hostPart.isEmpty()) {
                addresses.add(parseAddress(hostPart, url));
            }
        }
        if (user != null) {
            b.username(user).password(pass);
        }
        if (path != null && !path.isEmpty()) {
            b.virtualHost(decode(path));
        }
        for (String pair : queryPart.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq >= 0 ? pair.substring(0, eq) : pair);
            String value = eq >= 0 ? decode(pair.substring(eq + 1)) : "";
            b.parameter(key, value);
        }
        return new Parsed(scheme.toLowerCase(Locale.ROOT), addresses, b);
    }

    private static Address parseAddress(String hostPort, String url) {
        String host;
        String portText = null;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unclosed IPv6 literal in " + redact(url));
            }
            host = hostPort.substring(1, close);
            if (close + 1 < hostPort.length()) {
                if (hostPort.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException("bad host '" + hostPort + "' in " + redact(url));
                }
                portText = hostPort.substring(close + 2);
            }
        } else {
            int colon = hostPort.lastIndexOf(':');
            host = colon >= 0 ? hostPort.substring(0, colon) : hostPort;
            portText = colon >= 0 ? hostPort.substring(colon + 1) : null;
        }
        if (portText == null || portText.isEmpty()) {
            return Address.defaultPort(decode(host));
        }
        // Digits only: "-1" is the record's "no port", "+5672" is not how a URL writes a port.
        int port = portText.matches("[0-9]{1,5}") ? Integer.parseInt(portText) : 0;
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("bad port '" + portText + "' in " + redact(url)
                    + ": a port is a number from 1 to 65535");
        }
        return new Address(decode(host), port);
    }

    private static String decode(String s) {
        // '+' is a literal plus in URL user info and paths, not a space.
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
