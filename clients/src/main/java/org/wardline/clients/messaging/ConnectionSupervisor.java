package org.wardline.clients.messaging;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wardline.protocol.wire.Frame;
import org.wardline.protocol.wire.FrameType;
import org.wardline.protocol.wire.Tag;

import java.net.URI;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The connection of one {@link MessagingClient} to its device listeners: opens it and says HELLO, reconnects after a
 * failed attempt or a lost connection with exponential back-off (200 ms doubling to 10 s, with jitter), moving on
 * to the next listener except when the session ended, and stops for good when the server refuses the device.
 * {@link #connect}, {@link #onClosed}'s work and every {@link Client} method run on the client's actor thread; the
 * other methods may be called on any thread.
 */
final class ConnectionSupervisor {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionSupervisor.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Opens a connection to one device listener; {@code onClosed} runs (on any thread) when it ends. */
    @FunctionalInterface
    interface Opener {
        CompletableFuture<FrameConnection> open(URI listener, Runnable onClosed);
    }

    /** What the client does as the connection comes and goes. Called on the actor thread. */
    interface Client {
        /** The server answered HELLO: readies the session (key packages uploaded); a failure drops the connection. */
        void opened() throws Exception;

        /** The connection now counts as connected: resumes what waited for it; a failure drops the connection. */
        void connected() throws Exception;

        /** A connection that had counted as connected (or been refused) ended; a reconnect follows. */
        void lost();

        /** The server refuses this device for good: nothing connects again and every request fails with {@code reason}. */
        void refused(MessagingException reason);

        /** The session ended (idle logoff, sign-out elsewhere); told once until a connection succeeds again. */
        void signedOut();

        /** The upgrade was refused as for a wiped device: carries out a pending wipe; true when this device is wiped. */
        boolean wipedOnRefusal();
    }

    private final DeviceListeners listeners;
    private final ScheduledExecutorService actor;
    private final Opener opener;
    private final Client client;
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong rateLimitRetries = new AtomicLong();
    private volatile FrameConnection connection;
    private volatile CompletableFuture<Void> connected = new CompletableFuture<>();
    private volatile boolean closing;
    private volatile boolean offline;
    /** Set once the server refused this device for good: no more connecting, every request fails with it. */
    private volatile MessagingException refused;
    private boolean signedOut;
    /** Attempts since the last connection that counted as connected. */
    private int failures;
    /** Handshakes in a row the server ended with a TLS alert. */
    private int tlsRefusals;

    ConnectionSupervisor(DeviceListeners listeners, ScheduledExecutorService actor, Opener opener, Client client) {
        this.listeners = listeners;
        this.actor = actor;
        this.opener = opener;
        this.client = client;
    }

    /** Opens a connection unless one is open, or the client is closing, offline or refused. On the actor. */
    void connect() {
        if (closing || offline || refused != null || (connection != null && connection.isOpen())) {
            return;
        }
        attempts.incrementAndGet();
        CompletableFuture<FrameConnection> opening;
        try {
            opening = opener.open(listeners.current(), this::onClosed);
        } catch (RuntimeException e) { // the session's bearer could not be had: signed out, or no session yet
            opening = CompletableFuture.failedFuture(e);
        }
        opening
                .thenCompose(c -> {
                    connection = c;
                    return request(Frame.of(FrameType.HELLO, 0).with(Tag.VERSION, 1));
                })
                .whenCompleteAsync((hello, e) -> {
                    if (e != null) {
                        failed(e);
                        return;
                    }
                    try {
                        client.opened();
                        failures = 0;
                        tlsRefusals = 0;
                        signedOut = false;
                        connected.complete(null);
                        client.connected();
                    } catch (Exception ex) {
                        LOG.atWarn().addKeyValue("errorType", ex.getClass().getSimpleName()).log("key package upload failed");
                        dropConnection();
                    }
                }, actor);
    }

    private void failed(Throwable e) {
        LOG.atDebug().addKeyValue("errorType", MessagingClient.unwrap(e).getClass().getSimpleName()).log("connect failed");
        if (RemoteWipe.isRefusedDevice(e) && client.wipedOnRefusal()) {
            return;
        }
        tlsRefusals = DeviceRefused.byTls(e) ? tlsRefusals + 1 : 0;
        if (DeviceRefused.byServer(e) || tlsRefusals >= DeviceRefused.TLS_REFUSALS) {
            stopRefused();
            return;
        }
        if (SignedOut.is(e)) {
            if (!signedOut) {
                signedOut = true;
                client.signedOut();
            }
        } else {
            listeners.moveOn();
        }
        scheduleReconnect(); // state and inbox are kept; a new session (`wardline login`) resumes all
    }

    /**
     * The server refuses this device for good: retrying would only hammer it, so connecting stops and what waits for
     * the connection fails.
     */
    private void stopRefused() {
        MessagingException reason = new MessagingException(MessagingException.DEVICE_REVOKED, null);
        refused = reason;
        LOG.atWarn().log("the server refuses this device (revoked): no longer connecting");
        connected.completeExceptionally(reason);
        client.refused(reason);
    }

    private void onClosed() {
        if (closing) {
            return;
        }
        actor.execute(() -> {
            if (connected.isDone()) {
                connected = new CompletableFuture<>();
                client.lost();
            }
            listeners.moveOn();
            scheduleReconnect();
        });
    }

    private void scheduleReconnect() {
        if (closing || offline) {
            return;
        }
        long base = Math.min(10_000, 200L << Math.min(failures++, 6));
        long delay = base / 2 + RANDOM.nextLong(base / 2 + 1);
        actor.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    /** Sends on the current connection; a rate-limit refusal is retried (see {@link RateLimitRetry}). Any thread. */
    CompletableFuture<Frame> request(Frame frame) {
        return RateLimitRetry.request(() -> {
            FrameConnection c = connection;
            if (refused != null) {
                return CompletableFuture.failedFuture(refused);
            }
            if (c == null || !c.isOpen()) {
                return CompletableFuture.failedFuture(new MessagingException(MessagingException.CONNECTION_LOST, null));
            }
            return c.request(frame);
        }, rateLimitRetries::incrementAndGet);
    }

    /** Completes when the current connection has said HELLO and the client readied it. */
    CompletableFuture<Void> connected() {
        return connected;
    }

    boolean isConnected() {
        FrameConnection c = connection;
        return c != null && c.isOpen() && connected.isDone() && !connected.isCompletedExceptionally();
    }

    /** Why the server refuses this device, or null while it does not. */
    MessagingException refusal() {
        return refused;
    }

    boolean isClosing() {
        return closing;
    }

    long attempts() {
        return attempts.get();
    }

    long rateLimitRetries() {
        return rateLimitRetries.get();
    }

    /** Closes the connection and stops reconnecting until {@link #goOnline()}. */
    void goOffline() {
        offline = true;
        connected = new CompletableFuture<>();
        FrameConnection c = connection;
        if (c != null) {
            c.close();
        }
    }

    void goOnline() {
        offline = false;
        actor.execute(this::connect);
    }

    /** Drops the connection as a network failure would; a reconnect follows. */
    void dropConnection() {
        FrameConnection c = connection;
        if (c != null) {
            c.abort();
        }
    }

    /** Never connects again; the current connection, if any, is left as it is. */
    void stop() {
        closing = true;
    }

    /** Never connects again, and closes the current connection. */
    void close() {
        closing = true;
        FrameConnection c = connection;
        if (c != null) {
            c.close();
        }
    }
}
