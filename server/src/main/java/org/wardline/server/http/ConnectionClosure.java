package org.wardline.server.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Notes when a request fails (its connection closed mid-request), from the moment routing starts. A handler that reads the body
 * only after an asynchronous step (a device check) would otherwise never learn that the client went away
 * while it waited.
 */
public final class ConnectionClosure implements Handler<RoutingContext> {
    private static final String KEY = "wardline.connectionClosed";

    @Override
    public void handle(RoutingContext ctx) {
        AtomicBoolean closed = new AtomicBoolean();
        ctx.put(KEY, closed);
        // The request's exception handler, not the connection's close handler: that one slot belongs to
        // DeviceConnections, which tracks live device connections for revocation.
        ctx.request().exceptionHandler(t -> closed.set(true));
        ctx.next();
    }

    /** True when the connection of this request has closed (always false where the handler is not installed). */
    public static boolean closed(RoutingContext ctx) {
        AtomicBoolean closed = ctx.get(KEY);
        return closed != null && closed.get();
    }
}
