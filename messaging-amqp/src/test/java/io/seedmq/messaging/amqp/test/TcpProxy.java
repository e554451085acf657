package io.seedmq.messaging.amqp.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on a free local port that can freeze traffic without closing anything: while paused
 * it reads nothing and writes nothing, so both peers see a silent but open connection, which is
 * how a dead network looks and what heartbeats exist to detect.
 */
public final class TcpProxy implements AutoCloseable {

    private final ServerSocket server;
    private final String targetHost;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Object gate = new Object();
    private volatile boolean paused;
    private volatile boolean closed;

    /**
     * @param targetHost where to forward
     * @param targetPort its port
     */
    public TcpProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "tcp-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** @return the local port clients connect to */
    public int port() {
        return server.getLocalPort();
    }

    /** Freezes all traffic, of existing and new connections. */
    public void pause() {
        paused = true;
    }

    /** Lets traffic flow again. */
    public void resume() {
        synchronized (gate) {
            paused = false;
            gate.notifyAll();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(targetHost, targetPort);
                sockets.add(client);
                sockets.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void pump(Socket from, Socket to) throws IOException {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try {
                while (true) {
                    awaitFlowing();
                    int n = in.read(buffer);
                    if (n < 0) {
                        break;
                    }
                    awaitFlowing();
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // the other side went; close both below
            }
            closeQuietly(from);
            closeQuietly(to);
        }, "tcp-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private void awaitFlowing() throws InterruptedException {
        synchronized (gate) {
            while (paused && !closed) {
                gate.wait();
            }
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        resume();
        server.close();
        sockets.forEach(TcpProxy::closeQuietly);
    }
}
