package io.seedmq.messaging;

import java.nio.file.Path;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * TLS settings for {@code amqps://} connections. By default the JVM's trust store is used and the
 * broker's host name is verified against its certificate. Immutable and thread-safe; build with
 * {@link #builder()}, derive variants with {@link #toBuilder()}. Passwords never appear in
 * {@link #toString()}.
 *
 * <pre>{@code
 * TlsOptions tls = TlsOptions.builder()
 *         .trustStore(Path.of("/etc/myapp/broker-ca.p12"), "changeit")
 *         .build();
 * }</pre>
 */
public final class TlsOptions {

    private static final TlsOptions DEFAULTS = builder().build();

    private final Path trustStore;
    private final String trustStorePassword;
    private final String trustStoreType;
    private final Path keyStore;
    private final String keyStorePassword;
    private final String keyStoreType;
    private final boolean verifyHostname;
    private final SSLContext sslContext;

    private TlsOptions(Builder b) {
        trustStore = b.trustStore;
        trustStorePassword = b.trustStorePassword;
        trustStoreType = b.trustStoreType;
        keyStore = b.keyStore;
        keyStorePassword = b.keyStorePassword;
        keyStoreType = b.keyStoreType;
        verifyHostname = b.verifyHostname;
        sslContext = b.sslContext;
    }

    /** @return the JVM's default trust store, no client certificate, with host name verification */
    public static TlsOptions defaults() {
        return DEFAULTS;
    }

    /** @return a builder starting from the JVM's defaults with host name verification */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the trust store file, or {@code null} for the JVM's default */
    public Path trustStore() {
        return trustStore;
    }

    /** @return the trust store password, or {@code null} */
    public String trustStorePassword() {
        return trustStorePassword;
    }

    /** @return the trust store type ({@code PKCS12} unless set) */
    public String trustStoreType() {
        return trustStoreType;
    }

    /** @return a key store holding a client certificate, or {@code null} */
    public Path keyStore() {
        return keyStore;
    }

    /** @return the key store password, or {@code null} */
    public String keyStorePassword() {
        return keyStorePassword;
    }

    /** @return the key store type ({@code PKCS12} unless set) */
    public String keyStoreType() {
        return keyStoreType;
    }

    /** @return whether the broker's certificate must match the host name connected to */
    public boolean verifyHostname() {
        return verifyHostname;
    }

    /** @return an SSL context supplied by the application, or {@code null}; it takes precedence over the stores */
    public SSLContext sslContext() {
        return sslContext;
    }

    /** @return a builder holding these settings, to derive variants */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.trustStore = trustStore;
        b.trustStorePassword = trustStorePassword;
        b.trustStoreType = trustStoreType;
        b.keyStore = keyStore;
        b.keyStorePassword = keyStorePassword;
        b.keyStoreType = keyStoreType;
        b.verifyHostname = verifyHostname;
        b.sslContext = sslContext;
        return b;
    }

    @Override
    public String toString() {
        return "TlsOptions[trustStore=" + (trustStore == null ? "jvm-default" : trustStore)
                + (trustStorePassword == null ? "" : ", trustStorePassword=****")
                + (keyStore == null ? "" : ", keyStore=" + keyStore)
                + (keyStorePassword == null ? "" : ", keyStorePassword=****")
                + ", verifyHostname=" + verifyHostname
                + (sslContext == null ? "" : ", sslContext=" + sslContext.getProtocol()) + "]";
    }

    /** Builds {@link TlsOptions}. Not thread-safe. */
    public static final class Builder {
        private Path trustStore;
        private String trustStorePassword;
        private String trustStoreType = "PKCS12";
        private Path keyStore;
        private String keyStorePassword;
        private String keyStoreType = "PKCS12";
        private boolean verifyHostname = true;
        private SSLContext sslContext;

        private Builder() {
        }

        /**
         * @param path trust store file
         * @param password its password, or null
         * @return this
         */
        public Builder trustStore(Path path, String password) {
            trustStore = Objects.requireNonNull(path, "path");
            trustStorePassword = password;
            return this;
        }

        /**
         * @param type key store type of the trust store ({@code PKCS12}, {@code JKS})
         * @return this
         */
        public Builder trustStoreType(String type) {
            trustStoreType = Objects.requireNonNull(type, "type");
            return this;
        }

        /**
         * @param path key store with the client certificate
         * @param password its password
         * @return this
         */
        public Builder keyStore(Path path, String password) {
            keyStore = Objects.requireNonNull(path, "path");
            keyStorePassword = password;
            return this;
        }

        /**
         * @param type key store type ({@code PKCS12}, {@code JKS})
         * @return this
         */
        public Builder keyStoreType(String type) {
            keyStoreType = Objects.requireNonNull(type, "type");
            return this;
        }

        /**
         * @param verify whether to check the certificate against the host name (default true)
         * @return this
         */
        public Builder verifyHostname(boolean verify) {
            verifyHostname = verify;
            return this;
        }

        /**
         * @param context a ready SSL context, used as is
         * @return this
         */
        public Builder sslContext(SSLContext context) {
            sslContext = Objects.requireNonNull(context, "context");
            return this;
        }

        /** @return the options */
        public TlsOptions build() {
            return new TlsOptions(this);
        }
    }
}
