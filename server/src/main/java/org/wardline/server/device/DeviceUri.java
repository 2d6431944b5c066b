package org.wardline.server.device;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The identity a device certificate carries: the URI SAN {@code urn:wardline:user:<uuid>:device:<uuid>}. */
public record DeviceUri(UUID userId, UUID deviceId) {
    private static final Pattern FORMAT = Pattern.compile(
            "urn:wardline:user:([0-9a-f-]{36}):device:([0-9a-f-]{36})");
    private static final int URI_NAME = 6;

    public String uri() {
        return "urn:wardline:user:" + userId + ":device:" + deviceId;
    }

    /** Reads the identity from a certificate's URI SAN, if it has one in Wardline's format. */
    public static Optional<DeviceUri> of(X509Certificate cert) {
        try {
            var names = cert.getSubjectAlternativeNames();
            if (names == null) {
                return Optional.empty();
            }
            for (List<?> name : names) {
                if (((Integer) name.get(0)) == URI_NAME) {
                    Matcher m = FORMAT.matcher(String.valueOf(name.get(1)));
                    if (m.matches()) {
                        return Optional.of(new DeviceUri(UUID.fromString(m.group(1)), UUID.fromString(m.group(2))));
                    }
                }
            }
            return Optional.empty();
        } catch (CertificateParsingException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
