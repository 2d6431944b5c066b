package org.wardline.server.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per request with the route pattern (never the concrete path or query, which can hold link
 * IDs or search terms), status, duration and request ID. The pattern is the declared route's, kept by
 * {@link #routePattern(String)} when it matched, so a request refused by authentication, authorization or its
 * handler is logged under its route; only a path no route declares is {@code unmatched}.
 */
public final class AccessLog implements Handler<RoutingContext> {
    private static final Logger LOG = LoggerFactory.getLogger(AccessLog.class);
    private static final String ROUTE = "wardline.routePattern";
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
                .addKeyValue("route", route(ctx))
                .addKeyValue("status", ctx.response().getStatusCode())
                .addKeyValue("micros", (System.nanoTime() - start) / 1000)
                .log("request"));
        ctx.next();
    }

    /**
     * The first handler of a declared route (a platform handler, so it runs before the body handler and a refused
     * body is logged under its route too): remembers its pattern for the log line.
     */
    public static Handler<RoutingContext> routePattern(String pattern) {
        return new RoutePattern(pattern);
    }

    private record RoutePattern(String pattern) implements io.vertx.ext.web.handler.PlatformHandler {
        @Override
        public void handle(RoutingContext ctx) {
            ctx.put(ROUTE, pattern);
            ctx.next();
        }
    }

    /** The declared pattern of the route that matched, or {@code unmatched}. */
    public static String route(RoutingContext ctx) {
        String declared = ctx.get(ROUTE);
        if (declared != null) {
            return declared;
        }
        return ctx.currentRoute() == null || ctx.currentRoute().getPath() == null ? "unmatched" : ctx.currentRoute().getPath();
    }
}
