package org.wardline.server.auth;

import io.vertx.ext.web.RoutingContext;
import org.wardline.server.http.RequestIds;

/** Where a sign-in step comes from: the peer address, the request, and the device certificate on the device listener. */
public record SignInContext(String sourceIp, String requestId, DeviceIdentity device) {
    public static SignInContext of(RoutingContext ctx, boolean deviceListener) {
        return new SignInContext(SourceAddress.of(ctx), RequestIds.of(ctx),
                deviceListener ? DeviceIdentity.of(ctx).orElse(null) : null);
    }

    public java.util.UUID deviceId() {
        return device == null ? null : device.deviceId();
    }
}
