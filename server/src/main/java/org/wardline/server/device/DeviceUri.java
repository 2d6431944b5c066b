package org.wardline.server.device;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The identity a device certificate carries: the URI SAN {@code urn:wardline:user:<uuid>:device:<uuid>}. */
public record DeviceUri(UUID userId, UUID deviceId) {
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
                    var parsed = org.wardline.protocol.mls.DeviceUri.parse(String.valueOf(name.get(1)));
                    if (parsed.isPresent()) {
                        return Optional.of(new DeviceUri(parsed.get().user(), parsed.get().device()));
                    }
                }
            }
            return Optional.empty();
        } catch (CertificateParsingException e) {
            return Optional.empty();
        }
    }
}
