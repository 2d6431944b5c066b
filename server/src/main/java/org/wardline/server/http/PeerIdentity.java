package org.wardline.server.http;

import io.vertx.ext.web.RoutingContext;
import org.wardline.protocol.ErrorCode;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The enrolled device on the other end of a device-listener request, read from the URI SAN of the client
 * certificate the TLS layer has already verified: {@code urn:wardline:user:<uuid>:device:<uuid>}.
 */
public record PeerIdentity(UUID userId, UUID deviceId) {
    private static final Pattern URN = Pattern.compile(
            "urn:wardline:user:([0-9a-f-]{36}):device:([0-9a-f-]{36})");
    private static final int URI_SAN = 6;

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
        try {
            var names = leaf.getSubjectAlternativeNames();
            if (names != null) {
                for (List<?> name : names) {
                    if (((Integer) name.get(0)) == URI_SAN) {
                        Matcher m = URN.matcher(String.valueOf(name.get(1)));
                        if (m.matches()) {
                            return new PeerIdentity(UUID.fromString(m.group(1)), UUID.fromString(m.group(2)));
                        }
                    }
                }
            }
        } catch (CertificateParsingException | IllegalArgumentException e) {
            throw new WardlineHttpException(ErrorCode.UNAUTHENTICATED);
        }
        throw new WardlineHttpException(ErrorCode.UNAUTHENTICATED);
    }
}
