package org.wardline.server.auth;

import io.vertx.ext.web.RoutingContext;

/** The peer address of a request (the TCP peer; forwarded headers are not trusted). */
public final class SourceAddress {
    private SourceAddress() {
    }

    public static String of(RoutingContext ctx) {
        var a = ctx.request().remoteAddress();
        return a == null ? "unknown" : a.hostAddress();
    }
}
