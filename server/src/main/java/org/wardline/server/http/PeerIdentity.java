package org.wardline.server.http;

import io.vertx.ext.web.RoutingContext;
import org.wardline.protocol.ErrorCode;
import org.wardline.server.device.DeviceUri;

import java.security.cert.X509Certificate;
import java.util.UUID;

import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The enrolled device on the other end of a device-listener request, read from the URI SAN of the client
 * certificate the TLS layer has already verified: {@code urn:wardline:user:<uuid>:device:<uuid>}.
 */
public record PeerIdentity(UUID userId, UUID deviceId) {
    public static PeerIdentity of(RoutingContext ctx) {
        try {
            var certs = ctx.request().connection().peerCertificates();
            if (certs != null && !certs.isEmpty() && certs.get(0) instanceof X509Certificate leaf) {
                return fromCertificate(leaf);
            }
        } catch (SSLPeerUnverifiedException e) {
            throw new WardlineHttpException(ErrorCode.UNAUTHENTICATED);
        }
        throw new WardlineHttpException(ErrorCode.UNAUTHENTICATED);
    }

    public static PeerIdentity fromCertificate(X509Certificate leaf) {
        return DeviceUri.of(leaf).map(d -> new PeerIdentity(d.userId(), d.deviceId()))
                .orElseThrow(() -> new WardlineHttpException(ErrorCode.UNAUTHENTICATED));
    }
}
