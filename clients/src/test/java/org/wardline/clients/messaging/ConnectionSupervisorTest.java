package org.wardline.clients.messaging;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.wardline.protocol.wire.Frame;
import org.wardline.protocol.wire.FrameCodec;
import org.wardline.protocol.wire.FrameType;
import org.wardline.protocol.wire.Tag;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The supervisor against scripted connection attempts: a failure is what the JDK's WebSocket client fails with (a
 * 403 or 401 to the upgrade, a TLS alert, a refused TCP connection), a success a real {@link FrameConnection} over a
 * WebSocket double that answers HELLO in the real codec. Reconnect delays are recorded, then run at once.
 */
class ConnectionSupervisorTest {
    private static final String ACTOR = "supervisor-actor";
    private static final URI FIRST = URI.create("https://node-1:8443");
    private static final URI SECOND = URI.create("https://node-2:8443");

    /** The client's actor: reconnect delays are recorded and then not waited for. */
    private final List<Long> delays = new CopyOnWriteArrayList<>();
    private final ScheduledThreadPoolExecutor actor = new ScheduledThreadPoolExecutor(1, r -> new Thread(r, ACTOR)) {
        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            if (unit == TimeUnit.MILLISECONDS) { // execute() schedules with no delay, in nanoseconds
                delays.add(delay);
                return super.schedule(command, 0, unit);
            }
            return super.schedule(command, delay, unit);
        }
    };
    private final ConcurrentLinkedQueue<Supplier<CompletableFuture<WebSocket>>> attempts = new ConcurrentLinkedQueue<>();
    private final List<URI> opened = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private volatile boolean failReadying;

    private final ConnectionSupervisor supervisor = new ConnectionSupervisor(new DeviceListeners(List.of(FIRST, SECOND)),
            actor, this::open, new ConnectionSupervisor.Client() {
                @Override
                public void opened() throws Exception {
                    event("opened");
                    if (failReadying) {
                        failReadying = false;
                        throw new MessagingException("keypackage.refused", null);
                    }
                }

                @Override
                public void connected() {
                    event("connected");
                }

                @Override
                public void lost() {
                    event("lost");
                }

                @Override
                public void refused(MessagingException reason) {
                    event("refused " + reason.code());
                }

                @Override
                public void signedOut() {
                    event("signed out");
                }

                @Override
                public boolean wipedOnRefusal() {
                    event("wipe check");
                    return false;
                }
            });

    @AfterEach
    void close() {
        actor.shutdownNow();
    }

    private void event(String what) {
        events.add(Thread.currentThread().getName().equals(ACTOR) ? what : what + " off the actor");
    }

    private CompletableFuture<FrameConnection> open(URI listener, Runnable onClosed) {
        opened.add(listener);
        Supplier<CompletableFuture<WebSocket>> next = attempts.poll();
        assertThat(next).as("an attempt the test scripted").isNotNull();
        return FrameConnection.open(l -> next.get().thenApply(ws -> {
            ((Socket) ws).listener = l;
            return ws;
        }), () -> { }, frame -> { }, onClosed, Keepalive.OFF);
    }

    private void thenFail(Throwable e) {
        attempts.add(() -> CompletableFuture.failedFuture(e));
    }

    private void thenSucceed() {
        attempts.add(() -> {
            Socket s = new Socket();
            sockets.add(s);
            return CompletableFuture.completedFuture(s);
        });
    }

    private static WebSocketHandshakeException upgradeAnswered(int status) {
        return new WebSocketHandshakeException(new Response(status));
    }

    private List<String> nextEvents(int n) throws InterruptedException {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String e = events.poll(10, TimeUnit.SECONDS);
            assertThat(e).as("event %d of %d, after %s", i + 1, n, out).isNotNull();
            out.add(e);
        }
        return out;
    }

    /** Waits until everything queued on the actor so far has run. */
    private void settle() throws Exception {
        for (int i = 0; i < 3; i++) {
            actor.submit(() -> { }).get(10, TimeUnit.SECONDS);
        }
    }

    private static void assertBackOff(long delay, long base) {
        assertThat(delay).as("half to all of %d ms", base).isBetween(base / 2, base);
    }

    @Test
    void backOffGrowsWithEachFailedAttemptMovingThroughTheListenersAndResetsOnceConnected() throws Exception {
        for (int i = 0; i < 4; i++) {
            thenFail(new ConnectException("Connection refused"));
        }
        thenSucceed();
        actor.execute(supervisor::connect);

        assertThat(nextEvents(2)).containsExactly("opened", "connected");
        assertThat(supervisor.connected()).isCompleted();
        assertThat(supervisor.isConnected()).isTrue();
        assertThat(delays).hasSize(4);
        assertBackOff(delays.get(0), 200);
        assertBackOff(delays.get(1), 400);
        assertBackOff(delays.get(2), 800);
        assertBackOff(delays.get(3), 1600);
        assertThat(opened).containsExactly(FIRST, SECOND, FIRST, SECOND, FIRST);
        assertThat(sockets.getFirst().sent).extracting(Frame::type).containsExactly(FrameType.HELLO);

        thenSucceed();
        sockets.getFirst().lostByNetwork();

        assertThat(nextEvents(3)).containsExactly("lost", "opened", "connected");
        assertThat(delays).hasSize(5);
        assertBackOff(delays.get(4), 200);
        assertThat(opened).endsWith(SECOND);
        assertThat(supervisor.attempts()).isEqualTo(6);
    }

    @Test
    void aDeviceTheServerRefusesIsNotReconnectedAndItsRequestsFailWithTheRefusal() throws Exception {
        thenFail(upgradeAnswered(403));
        actor.execute(supervisor::connect);

        assertThat(nextEvents(2)).containsExactly("wipe check", "refused " + MessagingException.DEVICE_REVOKED);
        assertThatThrownBy(() -> supervisor.connected().get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isSameAs(supervisor.refusal());
        assertThatThrownBy(() -> supervisor.request(Frame.of(FrameType.HELLO, 0)).get(10, TimeUnit.SECONDS))
                .cause().isSameAs(supervisor.refusal());

        supervisor.goOnline();
        settle();
        assertThat(delays).isEmpty();
        assertThat(supervisor.attempts()).isEqualTo(1);
        assertThat(events).isEmpty();
    }

    @Test
    void threeTlsAlertsInARowRefuseTheDeviceAndAnotherFailureBetweenStartsTheCountAgain() throws Exception {
        SSLException alert = new SSLException("Received fatal alert: internal_error");
        thenFail(alert);
        thenFail(alert);
        thenFail(new ConnectException("Connection refused"));
        thenFail(alert);
        thenFail(alert);
        thenFail(alert);
        actor.execute(supervisor::connect);

        assertThat(nextEvents(1)).containsExactly("refused " + MessagingException.DEVICE_REVOKED);
        settle();
        assertThat(supervisor.attempts()).isEqualTo(6);
        assertThat(delays).hasSize(5);
        assertThat(attempts).isEmpty();
    }

    @Test
    void signedOutIsToldOnceWhileRetryingTheSameListenerAndAgainAfterAConnection() throws Exception {
        for (int i = 0; i < 3; i++) {
            thenFail(upgradeAnswered(401));
        }
        thenSucceed();
        actor.execute(supervisor::connect);

        assertThat(nextEvents(3)).containsExactly("signed out", "opened", "connected");
        assertThat(opened).containsExactly(FIRST, FIRST, FIRST, FIRST);
        assertThat(delays).hasSize(3);
        assertBackOff(delays.get(2), 800);

        thenFail(upgradeAnswered(401));
        thenFail(upgradeAnswered(401));
        thenSucceed();
        sockets.getFirst().lostByNetwork();

        assertThat(nextEvents(4)).containsExactly("lost", "signed out", "opened", "connected");
        assertThat(opened).endsWith(SECOND, SECOND, SECOND);
    }

    @Test
    void aSessionThatCannotBeReadiedIsDroppedAndConnectedAgain() throws Exception {
        failReadying = true;
        thenSucceed();
        thenSucceed();
        actor.execute(supervisor::connect);

        assertThat(nextEvents(3)).as("never connected, so not lost").containsExactly("opened", "opened", "connected");
        assertThat(sockets.getFirst().aborted).isTrue();
        assertThat(opened).containsExactly(FIRST, SECOND);
        assertThat(delays).hasSize(1);
    }

    @Test
    void offlineStopsReconnectingUntilOnlineAgain() throws Exception {
        thenSucceed();
        actor.execute(supervisor::connect);
        assertThat(nextEvents(2)).containsExactly("opened", "connected");

        supervisor.goOffline();
        settle();
        assertThat(sockets.getFirst().closedNormally).isTrue();
        assertThat(supervisor.isConnected()).isFalse();
        assertThat(supervisor.connected()).isNotDone();
        assertThat(delays).isEmpty();
        assertThat(supervisor.attempts()).isEqualTo(1);

        thenSucceed();
        supervisor.goOnline();
        assertThat(nextEvents(2)).containsExactly("opened", "connected");
        assertThat(supervisor.connected()).isCompleted();
        assertThat(supervisor.attempts()).isEqualTo(2);
    }

    /** A WebSocket double: decodes what is sent with the real codec and answers every request OK. */
    private static final class Socket implements WebSocket {
        final List<Frame> sent = new CopyOnWriteArrayList<>();
        volatile WebSocket.Listener listener;
        volatile boolean aborted;
        volatile boolean closedNormally;
        private final java.io.ByteArrayOutputStream partial = new java.io.ByteArrayOutputStream();

        @Override
        public synchronized CompletableFuture<WebSocket> sendBinary(ByteBuffer data, boolean last) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            partial.writeBytes(chunk);
            if (last) {
                try {
                    Frame request = FrameCodec.decode(partial.toByteArray());
                    sent.add(request);
                    byte[] ok = FrameCodec.encode(Frame.of(FrameType.OK, request.requestId()).with(Tag.VERSION, 1));
                    CompletableFuture.runAsync(() -> listener.onBinary(this, ByteBuffer.wrap(ok), true));
                } catch (Exception e) {
                    return CompletableFuture.failedFuture(e);
                } finally {
                    partial.reset();
                }
            }
            return CompletableFuture.completedFuture(this);
        }

        /** The peer or the network went away: no close handshake. */
        void lostByNetwork() {
            listener.onError(this, new IOException("Connection reset"));
        }

        @Override
        public CompletableFuture<WebSocket> sendText(CharSequence data, boolean last) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException());
        }

        @Override
        public CompletableFuture<WebSocket> sendPing(ByteBuffer message) {
            return CompletableFuture.completedFuture(this);
        }

        @Override
        public CompletableFuture<WebSocket> sendPong(ByteBuffer message) {
            return CompletableFuture.completedFuture(this);
        }

        @Override
        public CompletableFuture<WebSocket> sendClose(int statusCode, String reason) {
            closedNormally = statusCode == NORMAL_CLOSURE;
            return CompletableFuture.completedFuture(this);
        }

        @Override
        public void request(long n) {
        }

        @Override
        public String getSubprotocol() {
            return "";
        }

        @Override
        public boolean isOutputClosed() {
            return closedNormally || aborted;
        }

        @Override
        public boolean isInputClosed() {
            return aborted;
        }

        @Override
        public void abort() {
            aborted = true;
        }
    }

    /** The server's answer to the WebSocket upgrade, as the JDK's handshake exception carries it. */
    private record Response(int statusCode) implements HttpResponse<String> {
        @Override
        public HttpRequest request() {
            return HttpRequest.newBuilder(URI.create("https://node-1:8443/v1/ws")).build();
        }

        @Override
        public Optional<HttpResponse<String>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public HttpHeaders headers() {
            return HttpHeaders.of(Map.of(), (a, b) -> true);
        }

        @Override
        public String body() {
            return null;
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return Optional.empty();
        }

        @Override
        public URI uri() {
            return request().uri();
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }
}
