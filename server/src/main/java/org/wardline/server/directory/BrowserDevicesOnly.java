package org.wardline.server.directory;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import org.wardline.protocol.ErrorCode;
import org.wardline.server.auth.dpop.BrowserDevice;
import org.wardline.server.http.WardlineHttpException;

/**
 * On the public listener the colleague directory answers a browser device only (a DPoP-bound session, ADR 0015),
 * as the device listener answers an enrolled device only: a password session on a browser that was never enrolled
 * is told to enroll it, as the messaging socket tells it.
 */
final class BrowserDevicesOnly {
    private BrowserDevicesOnly() {
    }

    static Future<Void> check(RoutingContext ctx) {
        if (!ctx.request().isEnded()) {
            ctx.request().resume(); // BrowserDeviceProofs paused it while it looked the key up
        }
        return BrowserDevice.of(ctx) == null ? Future.failedFuture(new WardlineHttpException(ErrorCode.DEVICE_NOT_ACTIVE))
                : Future.succeededFuture();
    }
}
