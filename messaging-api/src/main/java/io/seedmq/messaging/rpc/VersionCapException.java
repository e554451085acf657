package io.seedmq.messaging.rpc;

import io.seedmq.messaging.MessagingException;

/**
 * A client was asked to send a version above its version cap (oslo's {@code RPCVersionCapError}):
 * nothing was sent. Check {@link RpcClient#canSendVersion(String)} first to fall back to an
 * older version.
 */
public class VersionCapException extends MessagingException {
    private static final long serialVersionUID = 1L;

    /**
     * @param version the version asked for
     * @param versionCap the client's cap
     */
    public VersionCapException(String version, String versionCap) {
        super("requested message version " + version + " is incompatible: it must have the major version of"
                + " the version cap " + versionCap + " and a minor version not above it");
    }
}
