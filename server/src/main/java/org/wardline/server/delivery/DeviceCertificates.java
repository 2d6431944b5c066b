package org.wardline.server.delivery;

import org.wardline.protocol.mls.DeviceUri;

import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Reads the device identity from a verified client certificate: its URI SAN (see pki/CertificateAuthority). */
final class DeviceCertificates {
    private static final int URI_SAN = 6;

    private DeviceCertificates() {
    }

    static Optional<DeviceUri> deviceOf(List<Certificate> chain) {
        if (chain == null || chain.isEmpty() || !(chain.get(0) instanceof X509Certificate leaf)) {
            return Optional.empty();
        }
        try {
            Collection<List<?>> names = leaf.getSubjectAlternativeNames();
            if (names == null) {
                return Optional.empty();
            }
            for (List<?> name : names) {
                if (name.size() == 2 && Integer.valueOf(URI_SAN).equals(name.get(0))) {
                    Optional<DeviceUri> device = DeviceUri.parse(String.valueOf(name.get(1)));
                    if (device.isPresent()) {
                        return device;
                    }
                }
            }
            return Optional.empty();
        } catch (CertificateParsingException e) {
            return Optional.empty();
        }
    }
}
