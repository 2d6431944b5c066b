package org.wardline.storage.blob;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP proxy in front of the real s3proxy that "takes S3 down" once a number of request bytes have gone
 * through: it closes every connection and stops listening, so the client sees a reset mid-transfer and then
 * refused connections, as when an S3 endpoint dies during an upload.
 */
public final class CuttingTcpProxy implements AutoCloseable {
    private final ServerSocket server;
    private final InetSocketAddress target;
    private final long cutAfterBytes;
    private final AtomicLong forwarded = new AtomicLong();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Thread acceptor;
    private volatile boolean down;

    public CuttingTcpProxy(URI targetEndpoint, long cutAfterBytes) throws IOException {
        this.target = new InetSocketAddress(targetEndpoint.getHost(), targetEndpoint.getPort());
        this.cutAfterBytes = cutAfterBytes;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = Thread.ofVirtual().name("cutting-proxy-accept").start(this::acceptLoop);
    }

    /** The endpoint clients should use. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** Whether the cut has happened. */
    public boolean isDown() {
        return down;
    }

    private void acceptLoop() {
        while (!down) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(target.getAddress(), target.getPort());
                sockets.add(client);
                sockets.add(upstream);
                Thread.ofVirtual().start(() -> pump(client, upstream, true));
                Thread.ofVirtual().start(() -> pump(upstream, client, false));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean counts) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                if (counts && forwarded.addAndGet(n) > cutAfterBytes) {
                    cut();
                    return;
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // A side closed: the other pump ends too.
        }
    }

    private void cut() {
        down = true;
        close();
    }

    @Override
    public void close() {
        down = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // Closing.
        }
        for (Socket socket : sockets) {
            try {
                socket.setSoLinger(true, 0);
                socket.close();
            } catch (IOException ignored) {
                // Closing.
            }
        }
        acceptor.interrupt();
    }
}
