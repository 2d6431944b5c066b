package org.wardline.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A real TCP relay on loopback, put between a client and a service to stall the service as SIGSTOP would:
 * {@link #pause()} stops forwarding in both directions while every socket stays open (nothing is refused or
 * reset; TCP's own buffers fill and the peers wait), {@link #resume()} forwards again. Not a mock: bytes pass
 * unchanged through the kernel both ways. Bounded: at most {@value #MAX_CONNECTIONS} connections, one 16 KiB
 * buffer per direction, all closed by {@link #close()}.
 */
public final class PausableRelay implements AutoCloseable {
    static final int MAX_CONNECTIONS = 64;

    private final ServerSocket listener;
    private final Supplier<InetSocketAddress> target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Object gate = new Object();
    private final AtomicLong upstreamBytes = new AtomicLong();
    private boolean paused;

    /** Listens on a free loopback port; {@code target} is asked on each connection (the service may start later). */
    public PausableRelay(Supplier<InetSocketAddress> target) {
        this.target = target;
        try {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofVirtual().name("relay-accept").start(this::acceptAll);
    }

    /** {@code http://127.0.0.1:port}, for a setting that takes an endpoint. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort());
    }

    /** Bytes forwarded from clients to the service so far. */
    public long upstreamBytes() {
        return upstreamBytes.get();
    }

    public void pause() {
        synchronized (gate) {
            paused = true;
        }
    }

    public void resume() {
        synchronized (gate) {
            paused = false;
            gate.notifyAll();
        }
    }

    private void acceptAll() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            if (open.size() >= 2 * MAX_CONNECTIONS) {
                closeQuietly(client);
                continue;
            }
            Socket service = new Socket();
            open.add(client);
            open.add(service);
            try {
                service.connect(target.get(), 5_000);
            } catch (IOException | RuntimeException e) {
                closeQuietly(client);
                closeQuietly(service);
                continue;
            }
            Thread.ofVirtual().name("relay-up").start(() -> pump(client, service, upstreamBytes));
            Thread.ofVirtual().name("relay-down").start(() -> pump(service, client, new AtomicLong()));
        }
    }

    private void pump(Socket from, Socket to, AtomicLong counter) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                awaitResumed();
                out.write(buffer, 0, n);
                counter.addAndGet(n);
            }
        } catch (IOException e) {
            // one side closed or reset: the other is closed below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void awaitResumed() throws InterruptedException {
        synchronized (gate) {
            while (paused && !listener.isClosed()) {
                gate.wait(100);
            }
        }
    }

    private void closeQuietly(Socket socket) {
        open.remove(socket);
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        resume();
        open.forEach(this::closeQuietly);
    }
}
