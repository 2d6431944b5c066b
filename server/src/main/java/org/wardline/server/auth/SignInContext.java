package org.wardline.server.auth;

import io.vertx.ext.web.RoutingContext;
import org.wardline.server.http.RequestIds;

/**
 * Where a sign-in step comes from: the peer address, the request, and the device: the client certificate's on the
 * device listener, or on the public listener the browser device whose key signed the request's DPoP proof
 * ({@code dpopJkt} is then that key's thumbprint, and the session's access tokens are bound to it).
 */
public record SignInContext(String sourceIp, String requestId, DeviceIdentity device, String dpopJkt) {
    public SignInContext(String sourceIp, String requestId, DeviceIdentity device) {
        this(sourceIp, requestId, device, null);
    }

    public static SignInContext of(RoutingContext ctx, boolean deviceListener) {
        if (deviceListener) {
            return new SignInContext(SourceAddress.of(ctx), RequestIds.of(ctx), DeviceIdentity.of(ctx).orElse(null));
        }
        org.wardline.server.auth.dpop.BrowserDevice browser = org.wardline.server.auth.dpop.BrowserDevice.of(ctx);
        return new SignInContext(SourceAddress.of(ctx), RequestIds.of(ctx), browser == null ? null : browser.identity(),
                browser == null ? null : browser.jkt());
    }

    public java.util.UUID deviceId() {
        return device == null ? null : device.deviceId();
    }
}
