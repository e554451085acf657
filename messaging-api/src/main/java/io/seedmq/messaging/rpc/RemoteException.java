package io.seedmq.messaging.rpc;

import io.seedmq.messaging.MessagingException;
import java.util.List;
import java.util.Map;

/**
 * The server's endpoint failed: the failure oslo.messaging sends back in a reply, raised on the
 * caller's side. It names the remote exception's class and module (the Java package, or the
 * Python module of an oslo server), its message, the remote traceback lines, and its
 * {@code args} and {@code kwargs}.
 *
 * <p>Dispatch failures have their own subclasses: {@link NoSuchRpcMethodException} and
 * {@link UnsupportedVersionException}.
 */
public class RemoteException extends MessagingException {
    private static final long serialVersionUID = 1L;

    private final String remoteClass;
    private final String remoteModule;
    private final String remoteMessage;
    private final List<String> remoteTraceback;
    private final transient List<Object> remoteArgs;
    private final transient Map<String, Object> remoteKwargs;

    /**
     * @param remoteClass the remote exception's class name, without module
     * @param remoteModule its module (Python) or package (Java)
     * @param remoteMessage its message
     * @param remoteTraceback the remote traceback, one entry per line or frame
     * @param remoteArgs its {@code args}
     * @param remoteKwargs its {@code kwargs}
     */
    public RemoteException(String remoteClass, String remoteModule, String remoteMessage,
                           List<String> remoteTraceback, List<Object> remoteArgs, Map<String, Object> remoteKwargs) {
        super("remote " + qualified(remoteModule, remoteClass) + ": " + remoteMessage);
        this.remoteClass = remoteClass;
        this.remoteModule = remoteModule;
        this.remoteMessage = remoteMessage;
        this.remoteTraceback = List.copyOf(remoteTraceback);
        this.remoteArgs = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(remoteArgs));
        this.remoteKwargs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(remoteKwargs));
    }

    private static String qualified(String module, String cls) {
        return module == null || module.isEmpty() ? cls : module + "." + cls;
    }

    /** @return the remote exception's class name, without module (e.g. {@code ValueError}) */
    public String remoteClass() {
        return remoteClass;
    }

    /** @return the remote exception's module or Java package (e.g. {@code builtins}) */
    public String remoteModule() {
        return remoteModule;
    }

    /** @return the remote exception's message */
    public String remoteMessage() {
        return remoteMessage;
    }

    /** @return the remote traceback, as sent */
    public List<String> remoteTraceback() {
        return remoteTraceback;
    }

    /** @return the remote exception's positional arguments, as JSON values */
    public List<Object> remoteArgs() {
        return remoteArgs;
    }

    /** @return the remote exception's keyword arguments, as JSON values */
    public Map<String, Object> remoteKwargs() {
        return remoteKwargs;
    }
}
