package org.wardline.clients.messaging;

import javax.net.ssl.SSLException;
import java.net.http.WebSocketHandshakeException;

/**
 * Tells a connection refused because the server no longer accepts this device (revoked, lost, its certificate
 * refused) from a lost network: only the server's own answer counts, a 403 to the upgrade or a fatal TLS alert it
 * sent during the handshake. A failing network yields neither, so it keeps being retried.
 */
final class DeviceRefused {
    /**
     * Handshakes refused by a TLS alert in a row before the device is taken as refused: the server's TLS stack
     * answers a revoked certificate with a bare {@code internal_error}, which one transient fault could also send.
     */
    static final int TLS_REFUSALS = 3;

    private DeviceRefused() {
    }

    /** The server refused the WebSocket upgrade as forbidden (its certificate accepted, the device not active). */
    static boolean byServer(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause()) {
            if (e instanceof WebSocketHandshakeException h && h.getResponse().statusCode() == 403) {
                return true;
            }
        }
        return false;
    }

    /** The server ended the TLS handshake with a fatal alert (a refused client certificate among them). */
    static boolean byTls(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause()) {
            if (e instanceof SSLException s && s.getMessage() != null && s.getMessage().contains("Received fatal alert: ")) {
                return true;
            }
        }
        return false;
    }
}
