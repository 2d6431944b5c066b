package org.wardline.server.sharelink;

import java.util.Optional;

/** Opens the package-private token and code parsers to the fuzz targets. */
public final class LinkSecretsFuzzAccess {
    private LinkSecretsFuzzAccess() {
    }

    public static Optional<byte[]> decodeSecret(String secret) {
        return LinkSecrets.decodeSecret(secret);
    }

    public static boolean wellFormedCode(String code) {
        return LinkSecrets.wellFormedCode(code);
    }
}
