package org.wardline.server.auth.dpop;

import io.vertx.ext.web.RoutingContext;
import org.wardline.protocol.ErrorCode;
import org.wardline.server.http.PeerIdentity;
import org.wardline.server.http.WardlineHttpException;
import org.wardline.server.rbac.Principal;

import java.util.Objects;

/**
 * The device of a public-listener request to a device route (files, attachments; ADR 0015z): the browser device whose
 * DPoP proof the request carried ({@link BrowserDeviceProofs}) and whose DPoP-bound token the
 * {@link org.wardline.server.auth.Authenticator} accepted. It stands where {@link PeerIdentity#of} reads the client
 * certificate on the device listener. A request without a proof (a plain bearer token, a password session on a
 * browser never enrolled) is refused as the messaging socket refuses it: enroll this browser first.
 */
public final class BrowserDevicePeer {
    private BrowserDevicePeer() {
    }

    /** Call after authentication; does not resume the request's body (an upload reads it next). */
    public static PeerIdentity of(RoutingContext ctx) {
        BrowserDevice browser = BrowserDevice.of(ctx);
        Principal principal = ctx.get(org.wardline.server.rbac.Authorizer.PRINCIPAL);
        if (browser == null || principal == null || !principal.userId().equals(browser.identity().userId())
                || !Objects.equals(principal.deviceId(), browser.identity().deviceId())) {
            if (!ctx.request().isEnded()) {
                ctx.request().resume(); // so an unread body drains while the refusal is sent
            }
            throw new WardlineHttpException(ErrorCode.DEVICE_NOT_ACTIVE);
        }
        return new PeerIdentity(browser.identity().userId(), browser.identity().deviceId());
    }
}
