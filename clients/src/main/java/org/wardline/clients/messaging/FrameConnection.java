package org.wardline.clients.messaging;

import org.wardline.protocol.wire.Frame;
import org.wardline.protocol.wire.FrameCodec;
import org.wardline.protocol.wire.FrameType;
import org.wardline.protocol.wire.Tag;
import org.wardline.protocol.wire.WireException;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One mutual-TLS WebSocket to the delivery service (JDK {@link HttpClient}): sends frames, matches OK / ERROR /
 * KEY_PACKAGES answers to requests by request ID, hands DELIVER frames to a consumer in arrival order, and keeps
 * the connection alive with WebSocket pings ({@link Keepalive}), aborting it when a ping goes unanswered.
 */
public final class FrameConnection implements AutoCloseable {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final int FRAGMENT = 32 * 1024;
    /** Pings, ping deadlines and rate-limit retries of every connection in this JVM: short, non-blocking tasks. */
    private static final ScheduledExecutorService SCHEDULER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "wardline-connection-timer");
        t.setDaemon(true);
        return t;
    });

    private final BlockingQueue<Frame> unmatched = new LinkedBlockingQueue<>();

    private final Map<Long, CompletableFuture<Frame>> pending = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(1);
    private final Consumer<Frame> pushes;
    private final Runnable onClose;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final CompletableFuture<Integer> closeStatus = new CompletableFuture<>();
    /** Releases what the connection holds once it is closed (its HTTP client's selector thread). */
    private final Runnable release;
    private final Keepalive keepalive;
    private volatile long lastHeard = System.nanoTime();
    private ScheduledFuture<?> pinging;
    private CompletableFuture<WebSocket> sending;
    private WebSocket socket;

    private FrameConnection(Runnable release, Consumer<Frame> pushes, Runnable onClose, Keepalive keepalive) {
        this.release = release;
        this.pushes = pushes;
        this.onClose = onClose;
        this.keepalive = keepalive;
    }

    /** Opens {@code wss://…/v1/ws} with the device's certificate and its session's bearer token; default pings. */
    public static CompletableFuture<FrameConnection> open(DeviceCredentials credentials, Consumer<Frame> pushes, Runnable onClose) {
        return open(credentials, pushes, onClose, Keepalive.DEFAULT);
    }

    /** As {@link #open(DeviceCredentials, Consumer, Runnable)}, with these pings. */
    public static CompletableFuture<FrameConnection> open(DeviceCredentials credentials, Consumer<Frame> pushes, Runnable onClose,
                                                          Keepalive keepalive) {
        HttpClient http = HttpClient.newBuilder().sslContext(credentials.sslContext())
                .connectTimeout(Duration.ofSeconds(10)).build();
        URI listener = credentials.deviceListener();
        URI uri = URI.create("wss://" + listener.getRawAuthority() + "/v1/ws");
        java.net.http.WebSocket.Builder builder = http.newWebSocketBuilder();
        if (credentials.bearer() != null) {
            try {
                builder.header("Authorization", "Bearer " + credentials.bearer().get().reveal());
            } catch (RuntimeException e) {
                http.shutdownNow(); // each client holds a selector thread: a reconnect loop would pile them up
                throw e;
            }
        }
        return open(l -> builder.buildAsync(uri, l), http::shutdown, pushes, onClose, keepalive).whenComplete((conn, e) -> {
            if (e != null) {
                http.shutdownNow();
            }
        });
    }

    /**
     * A connection over the WebSocket {@code socket} opens with the listener it is given (tests pass a double);
     * {@code release} runs once it is closed.
     */
    static CompletableFuture<FrameConnection> open(Function<WebSocket.Listener, CompletableFuture<WebSocket>> socket,
                                                   Runnable release, Consumer<Frame> pushes, Runnable onClose,
                                                   Keepalive keepalive) {
        FrameConnection c = new FrameConnection(release, pushes, onClose, keepalive);
        return socket.apply(c.new Listener()).thenApply(ws -> {
            synchronized (c) {
                c.socket = ws;
                c.sending = CompletableFuture.completedFuture(ws);
            }
            c.startPinging();
            return c;
        });
    }

    /** The timer connections share (pings, retries): never block on it. */
    static ScheduledExecutorService scheduler() {
        return SCHEDULER;
    }

    private void startPinging() {
        if (!keepalive.enabled()) {
            return;
        }
        long every = keepalive.interval().toMillis();
        synchronized (this) {
            pinging = SCHEDULER.scheduleAtFixedRate(this::ping, every, every, TimeUnit.MILLISECONDS);
        }
        if (closed.isDone()) {
            pinging.cancel(false);
        }
    }

    /**
     * Sends a ping (queued behind frames being sent, as the WebSocket requires) and checks after the timeout that
     * something arrived since: a connection whose peer or network is gone otherwise looks open until TCP gives up.
     */
    private void ping() {
        if (closed.isDone()) {
            return;
        }
        long sentAt = System.nanoTime();
        synchronized (this) {
            sending = sending.thenCompose(ws -> ws.sendPing(ByteBuffer.allocate(0)));
        }
        SCHEDULER.schedule(() -> {
            if (lastHeard - sentAt < 0 && !closed.isDone()) {
                abort();
            }
        }, keepalive.timeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Sends a request (its request ID is assigned here) and completes with the answer or a {@link MessagingException}. */
    public CompletableFuture<Frame> request(Frame template) {
        long id = nextId.getAndUpdate(n -> n >= 0xFFFF_FFFFL ? 1 : n + 1);
        Frame frame = withId(template, id);
        CompletableFuture<Frame> answer = new CompletableFuture<Frame>().orTimeout(REQUEST_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        pending.put(id, answer);
        answer.whenComplete((f, e) -> pending.remove(id));
        sendRaw(FrameCodec.encode(frame)).exceptionally(e -> {
            answer.completeExceptionally(new MessagingException(MessagingException.CONNECTION_LOST, null));
            return null;
        });
        return answer;
    }

    /**
     * Sends bytes as one binary WebSocket message, as they are (tests use it for malformed frames), in fragments
     * of at most 32 KiB (servers limit the size of a single WebSocket frame, not only of a message).
     */
    public synchronized CompletableFuture<WebSocket> sendRaw(byte[] bytes) {
        int offset = 0;
        do {
            int length = Math.min(FRAGMENT, bytes.length - offset);
            ByteBuffer chunk = ByteBuffer.wrap(bytes, offset, length);
            boolean last = offset + length >= bytes.length;
            sending = sending.thenCompose(ws -> ws.sendBinary(chunk, last));
            offset += length;
        } while (offset < bytes.length);
        return sending;
    }

    /** Answers (OK, ERROR, KEY_PACKAGES) that matched no pending request, e.g. to frames sent with {@link #sendRaw}. */
    public BlockingQueue<Frame> unmatched() {
        return unmatched;
    }

    /** Completes when the connection is closed, by either side. */
    public CompletableFuture<Void> closed() {
        return closed;
    }

    /** The status code of the server's Close frame, or -1 when the connection ended without one. */
    public CompletableFuture<Integer> closeStatus() {
        return closeStatus;
    }

    public boolean isOpen() {
        return !closed.isDone();
    }

    @Override
    public void close() {
        WebSocket ws;
        synchronized (this) {
            ws = socket;
        }
        if (ws != null) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").whenComplete((w, e) -> ws.abort());
        }
        markClosed();
    }

    /** Drops the TCP connection without a close handshake (tests simulate a lost network with it). */
    public void abort() {
        WebSocket ws;
        synchronized (this) {
            ws = socket;
        }
        if (ws != null) {
            ws.abort();
        }
        markClosed();
    }

    private void markClosed() {
        closeStatus.complete(-1);
        if (closed.complete(null)) {
            synchronized (this) {
                if (pinging != null) {
                    pinging.cancel(false);
                }
            }
            // Each HttpClient has its own selector thread, which would otherwise live until the client is collected.
            release.run();
            pending.values().forEach(f -> f.completeExceptionally(new MessagingException(MessagingException.CONNECTION_LOST, null)));
            onClose.run();
        }
    }

    private void received(byte[] data) {
        Frame frame;
        try {
            frame = FrameCodec.decode(data);
        } catch (WireException e) {
            return;
        }
        switch (frame.type()) {
            case DELIVER -> pushes.accept(frame);
            case OK, KEY_PACKAGES -> complete(frame, null);
            case ERROR -> {
                String code;
                try {
                    code = frame.text(Tag.ERROR_CODE);
                } catch (WireException e) {
                    code = "protocol.malformed";
                }
                Long epoch = null;
                try {
                    epoch = frame.has(Tag.EPOCH) ? frame.u64(Tag.EPOCH) : null;
                } catch (WireException ignored) {
                    // no epoch then
                }
                complete(frame, new MessagingException(code, epoch));
            }
            default -> { }
        }
    }

    private void complete(Frame frame, MessagingException error) {
        CompletableFuture<Frame> f = pending.get(frame.requestId());
        if (f == null) {
            unmatched.add(frame);
            return;
        }
        if (error != null) {
            f.completeExceptionally(error);
        } else {
            f.complete(frame);
        }
    }

    private static Frame withId(Frame template, long id) {
        return template.withRequestId(id);
    }

    private final class Listener implements WebSocket.Listener {
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
            lastHeard = System.nanoTime();
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket ws, ByteBuffer message) {
            lastHeard = System.nanoTime();
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            lastHeard = System.nanoTime();
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            partial.writeBytes(chunk);
            if (last) {
                byte[] whole = partial.toByteArray();
                partial.reset();
                received(whole);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closeStatus.complete(statusCode);
            markClosed();
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            markClosed();
        }
    }
}
