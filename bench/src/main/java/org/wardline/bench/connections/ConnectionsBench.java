package org.wardline.bench.connections;

import org.wardline.bench.BenchResult;
import org.wardline.bench.Progress;
import org.wardline.bench.server.BenchDevices;
import org.wardline.bench.server.ChildServer;
import org.wardline.bench.server.ServerStats;
import org.wardline.clients.messaging.DeviceCredentials;
import org.wardline.protocol.wire.Frame;
import org.wardline.protocol.wire.FrameCodec;
import org.wardline.protocol.wire.FrameType;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Idle connection capacity: {@code count} device connections (mutual TLS, WebSocket upgrade with the device
 * session's bearer, HELLO answered), opened {@code parallel} at a time from {@code devices} signed-in devices, then left idle. The cost per
 * connection is the server process's growth in resident set and in live heap (both after full collections),
 * divided by the number of connections still open. The client side is one shared HttpClient in this JVM, so
 * none of its memory is counted.
 */
public final class ConnectionsBench {
    private static final long WAIT_SECONDS = 60;
    private static final long KIB = 1024;

    private final int count;
    private final int devices;
    private final int parallel;
    private final Progress progress;

    public ConnectionsBench(int count, int devices, int parallel, Progress progress) {
        if (count < 1 || devices < 1 || parallel < 1) {
            throw new IllegalArgumentException("connections, devices and parallel must be positive");
        }
        this.count = count;
        this.devices = devices;
        this.parallel = parallel;
        this.progress = progress;
    }

    public BenchResult run(ChildServer server) throws Exception {
        BenchDevices enrollment = new BenchDevices(server);
        progress.phase("connections: enrolling devices", "devices");
        List<HttpClient> clients = new ArrayList<>();
        List<String> bearers = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(Math.min(devices, 8))) {
            List<Future<DeviceCredentials>> enrolling = new ArrayList<>();
            for (int i = 0; i < devices; i++) {
                enrolling.add(pool.submit(() -> {
                    DeviceCredentials creds = enrollment.credentials();
                    progress.add(1);
                    return creds;
                }));
            }
            for (Future<DeviceCredentials> f : enrolling) {
                DeviceCredentials creds = f.get();
                clients.add(HttpClient.newBuilder().sslContext(creds.sslContext()).connectTimeout(Duration.ofSeconds(10)).build());
                bearers.add("Bearer " + creds.bearer().get().reveal());
            }
        }
        URI uri = URI.create("wss://127.0.0.1:" + server.devicePort() + "/v1/ws");
        ServerStats before = server.statsAfterGc();
        AtomicLong closedByServer = new AtomicLong();
        List<WebSocket> open = new ArrayList<>();
        Semaphore slots = new Semaphore(parallel);
        List<CompletableFuture<WebSocket>> pending = new ArrayList<>();
        progress.phase("connections: opening", "conn");
        long t0 = System.nanoTime();
        try {
            for (int i = 0; i < count; i++) {
                slots.acquire();
                HelloListener listener = new HelloListener(closedByServer);
                CompletableFuture<WebSocket> hello = clients.get(i % devices).newWebSocketBuilder()
                        .header("Authorization", bearers.get(i % devices)).buildAsync(uri, listener)
                        .thenCompose(ws -> {
                            ws.sendBinary(ByteBuffer.wrap(FrameCodec.encode(Frame.of(FrameType.HELLO, 1))), true);
                            return listener.answer.thenApply(answer -> ws);
                        })
                        .orTimeout(WAIT_SECONDS, TimeUnit.SECONDS)
                        .whenComplete((ws, e) -> {
                            slots.release();
                            if (e == null) {
                                progress.add(1);
                            }
                        });
                pending.add(hello);
            }
            for (CompletableFuture<WebSocket> p : pending) {
                open.add(p.get(WAIT_SECONDS, TimeUnit.SECONDS));
            }
            double openSeconds = (System.nanoTime() - t0) / 1e9;
            progress.phase("connections: idle, measuring the server", "");
            ServerStats after = server.statsAfterGc();
            long stillOpen = open.size() - closedByServer.get();
            double rssPer = (after.rss() - before.rss()) / (double) stillOpen / KIB;
            double heapPer = (after.heapUsed() - before.heapUsed()) / (double) stillOpen / KIB;
            String setup = String.format(Locale.ROOT, "%,d idle device connections (mutual TLS + WebSocket + HELLO) from %d devices,"
                    + " server in its own JVM (-Xmx %d MiB)", count, devices, after.heapMax() / (KIB * KIB));
            return new BenchResult("connections", setup)
                    .figure("connectionsOpened", "connections opened", open.size(), "conn")
                    .figure("connectionsOpen", "still open when measured", stillOpen, "conn")
                    .figure("openedPerSecond", "opened per second (handshake + upgrade + HELLO)", open.size() / openSeconds, "conn/s")
                    .figure("serverRssBeforeMiB", "server RSS before", before.rss() / (double) (KIB * KIB), "MiB")
                    .figure("serverRssAfterMiB", "server RSS with the connections", after.rss() / (double) (KIB * KIB), "MiB")
                    .figure("rssPerConnectionKiB", "server RSS per connection", rssPer, "KiB")
                    .figure("heapPerConnectionKiB", "server live heap per connection", heapPer, "KiB")
                    .figure("serverThreadsAfter", "server threads with the connections", after.threads(), "threads")
                    .target("<= 32 KiB per idle mTLS connection (server RSS)", rssPer <= 32 && stillOpen == count,
                            String.format(Locale.ROOT, "%.1f KiB RSS, %.1f KiB heap, %d of %d open", rssPer, heapPer, stillOpen, count));
        } finally {
            progress.phase("connections: closing", "");
            for (CompletableFuture<WebSocket> p : pending) {
                p.thenAccept(ws -> ws.abort());
            }
            clients.forEach(HttpClient::shutdownNow);
        }
    }

    /** Completes with the first whole binary message (the HELLO answer); counts a close by the server. */
    private static final class HelloListener implements WebSocket.Listener {
        final CompletableFuture<byte[]> answer = new CompletableFuture<>();
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
        private final AtomicLong closedByServer;

        HelloListener(AtomicLong closedByServer) {
            this.closedByServer = closedByServer;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            partial.writeBytes(chunk);
            if (last) {
                byte[] whole = partial.toByteArray();
                partial.reset();
                try {
                    Frame frame = FrameCodec.decode(whole);
                    if (frame.type() == FrameType.ERROR) {
                        answer.completeExceptionally(new IllegalStateException("HELLO refused: " + frame));
                    } else {
                        answer.complete(whole);
                    }
                } catch (Exception e) {
                    answer.completeExceptionally(e);
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closedByServer.incrementAndGet();
            answer.completeExceptionally(new IllegalStateException("closed by the server: " + statusCode));
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            answer.completeExceptionally(error);
        }
    }
}
