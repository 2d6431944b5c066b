package org.wardline.server.auth.dpop;

import io.vertx.ext.web.RoutingContext;
import org.wardline.server.auth.DeviceIdentity;

/**
 * The browser device a public-listener request comes from: the active device whose key signed the request's valid
 * DPoP proof ({@link BrowserDeviceProofs} puts it on the context), and that key's thumbprint.
 */
public record BrowserDevice(DeviceIdentity identity, String jkt) {
    static final String KEY = "wardline.browserDevice";

    /** The request's browser device, or null when the request carried no DPoP proof. */
    public static BrowserDevice of(RoutingContext ctx) {
        return ctx.get(KEY);
    }
}
