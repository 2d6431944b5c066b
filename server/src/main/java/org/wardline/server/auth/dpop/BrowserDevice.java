package org.wardline.server.auth.dpop;

import io.vertx.ext.web.RoutingContext;
import org.wardline.server.auth.DeviceIdentity;

/**
 * The browser device a public-listener request comes from: the active device whose key signed the request's valid
 * DPoP proof ({@link BrowserDeviceProofs} puts it on the context), that key's thumbprint and the serial of the
 * device's current certificate (whose revocation closes the device's connections).
 */
public record BrowserDevice(DeviceIdentity identity, String jkt, String serial) {
    static final String KEY = "wardline.browserDevice";
    static final String WIPE_PENDING = "wardline.browserDevice.wipePending";

    /** The request's browser device, or null when the request carried no DPoP proof. */
    public static BrowserDevice of(RoutingContext ctx) {
        return ctx.get(KEY);
    }

    /** The request's browser device when its wipe is pending (it may only fetch and confirm it), else null. */
    public static org.wardline.server.device.DeviceStore.Device waitingForWipe(RoutingContext ctx) {
        return ctx.get(WIPE_PENDING);
    }
}
