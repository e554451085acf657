package io.seedmq.messaging.rpc;

import java.util.List;
import java.util.Map;

/**
 * No endpoint of the server exposes the method, although one serves the request's namespace and
 * version (oslo's {@code NoSuchMethod}). Raised on the caller's side; a seedmq server sends it as
 * oslo's {@code oslo_messaging.rpc.dispatcher.NoSuchMethod}, so Python callers see oslo's type.
 */
public class NoSuchRpcMethodException extends RemoteException {
    private static final long serialVersionUID = 1L;

    /** The class name oslo gives this failure. */
    public static final String OSLO_CLASS = "NoSuchMethod";

    /**
     * @param remoteClass the remote class name
     * @param remoteModule the remote module
     * @param remoteMessage the message
     * @param remoteTraceback the remote traceback
     * @param remoteArgs the exception's args
     * @param remoteKwargs the exception's kwargs
     */
    public NoSuchRpcMethodException(String remoteClass, String remoteModule, String remoteMessage,
                                 List<String> remoteTraceback, List<Object> remoteArgs, Map<String, Object> remoteKwargs) {
        super(remoteClass, remoteModule, remoteMessage, remoteTraceback, remoteArgs, remoteKwargs);
    }
}
