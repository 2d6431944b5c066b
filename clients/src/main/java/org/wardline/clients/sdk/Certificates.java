package org.wardline.clients.sdk;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/** PEM parsing and fingerprints, through the JDK's X.509 implementation. */
final class Certificates {
    private Certificates() {
    }

    static List<X509Certificate> parsePem(String pem) {
        try {
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                out.add((X509Certificate) c);
            }
            return out;
        } catch (CertificateException e) {
            throw new WardlineClientException("client.certificate", "not a PEM certificate", e);
        }
    }

    /** SHA-256 of the DER encoding as uppercase colon-separated hex, as the server's banner prints it. */
    static String fingerprint(X509Certificate cert) {
        try {
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Accepts {@code AB:CD:…}, {@code abcd…} or with spaces; returns the canonical form. */
    static String normaliseFingerprint(String text) {
        String hex = text.replaceAll("[\\s:]", "").toUpperCase(Locale.ROOT);
        if (!hex.matches("[0-9A-F]{64}")) {
            throw new WardlineClientException("client.pin", "a CA fingerprint is 64 hex digits (SHA-256)", null);
        }
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(HexFormat.of().parseHex(hex));
    }
}
