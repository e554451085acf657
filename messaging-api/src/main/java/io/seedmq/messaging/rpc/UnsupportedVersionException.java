package io.seedmq.messaging.rpc;

import java.util.List;
import java.util.Map;

/**
 * No endpoint of the server serves the request's namespace at a compatible version (oslo's
 * {@code UnsupportedVersion}). Raised on the caller's side; a seedmq server sends it as
 * oslo's {@code oslo_messaging.rpc.dispatcher.UnsupportedVersion}, so Python callers see oslo's type.
 */
public class UnsupportedVersionException extends RemoteException {
    private static final long serialVersionUID = 1L;

    /** The class name oslo gives this failure. */
    public static final String OSLO_CLASS = "UnsupportedVersion";

    /**
     * @param remoteClass the remote class name
     * @param remoteModule the remote module
     * @param remoteMessage the message
     * @param remoteTraceback the remote traceback
     * @param remoteArgs the exception's args
     * @param remoteKwargs the exception's kwargs
     */
    public UnsupportedVersionException(String remoteClass, String remoteModule, String remoteMessage,
                                 List<String> remoteTraceback, List<Object> remoteArgs, Map<String, Object> remoteKwargs) {
        super(remoteClass, remoteModule, remoteMessage, remoteTraceback, remoteArgs, remoteKwargs);
    }
}
