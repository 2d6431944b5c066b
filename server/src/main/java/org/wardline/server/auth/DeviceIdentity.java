package org.wardline.server.auth;

import io.vertx.ext.web.RoutingContext;

import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The user and device a device-listener client certificate was issued to, read from its URI subject
 * alternative name {@code urn:wardline:user:<uuid>:device:<uuid>}. The TLS layer has already verified the
 * certificate against Wardline's CA.
 */
public record DeviceIdentity(UUID userId, UUID deviceId) {
    private static final Pattern URN = Pattern.compile(
            "urn:wardline:user:([0-9a-fA-F-]{36}):device:([0-9a-fA-F-]{36})");
    private static final int URI_SAN = 6;

    public String urn() {
        return "urn:wardline:user:" + userId + ":device:" + deviceId;
    }

    public static Optional<DeviceIdentity> of(RoutingContext ctx) {
        SSLSession ssl = ctx.request().sslSession();
        if (ssl == null) {
            return Optional.empty();
        }
        try {
            Certificate[] chain = ssl.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x ? of(x) : Optional.empty();
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }

    public static Optional<DeviceIdentity> of(X509Certificate cert) {
        try {
            if (cert.getSubjectAlternativeNames() == null) {
                return Optional.empty();
            }
            for (List<?> san : cert.getSubjectAlternativeNames()) {
                if (san.size() >= 2 && Integer.valueOf(URI_SAN).equals(san.get(0))) {
                    Matcher m = URN.matcher(String.valueOf(san.get(1)));
                    if (m.matches()) {
                        return Optional.of(new DeviceIdentity(UUID.fromString(m.group(1)), UUID.fromString(m.group(2))));
                    }
                }
            }
            return Optional.empty();
        } catch (CertificateParsingException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
