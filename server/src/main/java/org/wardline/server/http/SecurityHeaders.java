package org.wardline.server.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/** Headers every response from a Wardline listener carries. */
public final class SecurityHeaders implements Handler<RoutingContext> {
    @Override
    public void handle(RoutingContext ctx) {
        ctx.response().headers()
                .add("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
                .add("X-Content-Type-Options", "nosniff")
                .add("Referrer-Policy", "no-referrer")
                .add("Cache-Control", "no-store")
                .add("X-Frame-Options", "DENY")
                .add("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
        ctx.next();
    }
}
