package org.wardline.server.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.util.UUID;
import java.util.regex.Pattern;

/** Gives every request an ID (a caller's well-formed {@code X-Request-Id}, or a new UUID) and echoes it. */
public final class RequestIds implements Handler<RoutingContext> {
    public static final String HEADER = "X-Request-Id";
    private static final String KEY = "wardline.requestId";
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9-]{8,64}");

    @Override
    public void handle(RoutingContext ctx) {
        String offered = ctx.request().getHeader(HEADER);
        String id = offered != null && SAFE.matcher(offered).matches() ? offered : UUID.randomUUID().toString();
        ctx.put(KEY, id);
        ctx.response().putHeader(HEADER, id);
        ctx.next();
    }

    public static String of(RoutingContext ctx) {
        String id = ctx.get(KEY);
        return id == null ? "none" : id;
    }
}
