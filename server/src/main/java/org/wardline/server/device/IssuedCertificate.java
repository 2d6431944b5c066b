package org.wardline.server.device;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.UUID;

/** A device certificate just issued, with the chain the device presents after it and the trust anchor. */
public record IssuedCertificate(UUID userId, UUID deviceId, X509Certificate certificate,
                                List<X509Certificate> chainAfterLeaf, X509Certificate root) {
}
