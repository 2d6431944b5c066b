package org.wardline.server.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per request with the route pattern (never the concrete path or query, which can hold link
 * IDs or search terms), status, duration and request ID.
 */
public final class AccessLog implements Handler<RoutingContext> {
    private static final Logger LOG = LoggerFactory.getLogger(AccessLog.class);
    private final String listener;

    public AccessLog(String listener) {
        this.listener = listener;
    }

    @Override
    public void handle(RoutingContext ctx) {
        long start = System.nanoTime();
        ctx.addBodyEndHandler(v -> LOG.atInfo()
                .addKeyValue("requestId", RequestIds.of(ctx))
                .addKeyValue("listener", listener)
                .addKeyValue("method", ctx.request().method().name())
                .addKeyValue("route", ctx.currentRoute() == null || ctx.currentRoute().getPath() == null
                        ? "unmatched" : ctx.currentRoute().getPath())
                .addKeyValue("status", ctx.response().getStatusCode())
                .addKeyValue("micros", (System.nanoTime() - start) / 1000)
                .log("request"));
        ctx.next();
    }
}
