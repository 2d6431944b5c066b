package org.wardline.clients.messaging;

import org.wardline.clients.sdk.DeviceIdentity;
import org.wardline.clients.sdk.WardlineClientException;

import java.net.http.WebSocketHandshakeException;

/** Tells a connection refused because the device's session ended (idle logoff, sign-out elsewhere) from other failures. */
final class SignedOut {
    private SignedOut() {
    }

    /** True when the session's token could not be had or renewed, or the server refused the upgrade as unauthenticated. */
    static boolean is(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause()) {
            if (e instanceof WardlineClientException w && DeviceIdentity.NOT_SIGNED_IN.equals(w.errorCode())) {
                return true;
            }
            if (e instanceof WebSocketHandshakeException h && h.getResponse().statusCode() == 401) {
                return true;
            }
        }
        return false;
    }
}
