package org.wardline.server.auth;

import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrameType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The long-lived connections (the messaging WebSocket) opened with a session, closed as soon as that session
 * ends. Ends arrive through {@link SessionEnds} on the event bus, from this node or another. Automatic
 * logoff applies to an open connection as to any request: a data frame the device sends counts as activity
 * (what the device's user does), a frame the server pushes does not, and a sweep ends and closes the
 * connection of any session idle past the timeout. The close code is 1008 (policy) with reason
 * {@value #CLOSE_REASON}; the client signs in again.
 */
public final class SessionConnections {
    public static final String CLOSE_REASON = "session ended";
    static final String KEY = "wardline.sessionConnections";
    private static final Logger LOG = LoggerFactory.getLogger(SessionConnections.class);
    /** How often a connection's frames are recorded as its session's activity (well under any idle timeout). */
    private static final Duration TOUCH_EVERY = Duration.ofSeconds(5);

    /** {@code context} is the connection's: the socket is closed there, never from the sweep's timer or the bus. */
    private record Tracked(UUID sessionId, UUID userId, ServerWebSocket socket, io.vertx.core.Context context) {
    }

    private final SessionStore sessions;
    private final Map<ServerWebSocket, Tracked> open = new ConcurrentHashMap<>();

    public SessionConnections(Vertx vertx, SessionStore sessions, SessionEnds ends, Duration sweepEvery) {
        this.sessions = sessions;
        ends.subscribe(this::onEnded);
        vertx.setPeriodic(sweepEvery.toMillis(), id -> sweep());
    }

    /**
     * Holds a WebSocket just upgraded from an authenticated request to that request's session; closes it at
     * once when the request carried no session (a route that did not authenticate cannot hold a socket open).
     */
    public static void hold(io.vertx.ext.web.RoutingContext ctx, ServerWebSocket socket) {
        SessionConnections registry = ctx.get(KEY);
        org.wardline.server.rbac.Principal p = ctx.get(org.wardline.server.rbac.Authorizer.PRINCIPAL);
        if (registry == null || p == null) {
            socket.close((short) 1008, CLOSE_REASON);
            return;
        }
        registry.track(p.session(), socket);
    }

    /** Holds {@code socket} to {@code session}: it is closed when the session ends. */
    public void track(Session session, ServerWebSocket socket) {
        Tracked t = new Tracked(session.id(), session.userId(), socket, Vertx.currentContext());
        open.put(socket, t);
        // A frame handler runs beside the message handlers the delivery session sets (Vert.x dispatches both).
        // Activity is recorded at most once per TOUCH_EVERY per connection: the store would skip a more frequent
        // touch anyway, and asking it on every frame costs a database round trip per message.
        long[] lastTouch = {System.nanoTime() - TOUCH_EVERY.toNanos()};
        socket.frameHandler(frame -> {
            if (frame.type() == WebSocketFrameType.BINARY || frame.type() == WebSocketFrameType.TEXT) {
                long now = System.nanoTime();
                if (now - lastTouch[0] < TOUCH_EVERY.toNanos()) {
                    return;
                }
                lastTouch[0] = now;
                sessions.touch(session.id()).onFailure(e -> LOG.atDebug()
                        .addKeyValue("errorType", e.getClass().getSimpleName()).log("could not record session activity"));
            }
        });
        // The session may have ended between the upgrade's check and now.
        sessions.ended(List.of(session.id())).onSuccess(ended -> {
            if (!ended.isEmpty()) {
                close(t);
            }
        });
    }

    /** How many tracked connections are open now. */
    public int openCount() {
        open.keySet().removeIf(ServerWebSocket::isClosed);
        return open.size();
    }

    private void onEnded(SessionEnds.Ended ended) {
        for (Tracked t : List.copyOf(open.values())) {
            if (ended.covers(t.sessionId(), t.userId())) {
                close(t);
            }
        }
    }

    private void sweep() {
        open.keySet().removeIf(ServerWebSocket::isClosed);
        Set<UUID> ids = ConcurrentHashMap.newKeySet();
        open.values().forEach(t -> ids.add(t.sessionId()));
        sessions.ended(ids).onSuccess(ended -> {
            for (Tracked t : List.copyOf(open.values())) {
                if (ended.contains(t.sessionId())) {
                    close(t);
                }
            }
        }).onFailure(e -> LOG.atWarn().addKeyValue("errorType", e.getClass().getSimpleName()).log("session sweep failed"));
    }

    private void close(Tracked t) {
        open.remove(t.socket());
        if (t.context() == null || t.context() == Vertx.currentContext()) {
            closeSocket(t.socket());
        } else {
            t.context().runOnContext(v -> closeSocket(t.socket()));
        }
    }

    private static void closeSocket(ServerWebSocket socket) {
        if (!socket.isClosed()) {
            socket.close((short) 1008, CLOSE_REASON);
        }
    }
}
