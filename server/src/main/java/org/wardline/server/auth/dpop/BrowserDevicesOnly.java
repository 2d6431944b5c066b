package org.wardline.server.auth.dpop;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import org.wardline.server.http.WardlineHttpException;

/**
 * A device route that also answers on the public listener (the colleague directory, legal holds) answers a browser
 * device only there (a DPoP-bound session, ADR 0015), as the device listener answers an enrolled device only: a
 * password session on a browser that was never enrolled is told to enroll it, as the messaging socket tells it. The
 * device is the one {@link BrowserDevicePeer} names: the proof's, bound to the token.
 */
public final class BrowserDevicesOnly {
    private BrowserDevicesOnly() {
    }

    /** For a route without a body to stream: the request is resumed whatever the answer. */
    public static Future<Void> check(RoutingContext ctx) {
        if (!ctx.request().isEnded()) {
            ctx.request().resume(); // BrowserDeviceProofs paused it while it looked the key up
        }
        try {
            BrowserDevicePeer.of(ctx);
            return Future.succeededFuture();
        } catch (WardlineHttpException e) {
            return Future.failedFuture(e);
        }
    }
}
