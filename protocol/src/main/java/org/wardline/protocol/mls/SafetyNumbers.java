package org.wardline.protocol.mls;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Safety-number arithmetic: a SHA-256 fingerprint per member, shown as 30 decimal digits in groups of five. */
final class SafetyNumbers {
    private static final int ITERATIONS = 5200;

    private SafetyNumbers() {
    }

    /** Iterated SHA-256 over (version, identity, signature key), as Signal's numeric fingerprints do. */
    static byte[] fingerprint(byte[] identity, byte[] signatureKey) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] hash = ByteBuffer.allocate(2 + 4 + identity.length + signatureKey.length).putShort((short) 1)
                    .putInt(identity.length).put(identity).put(signatureKey).array();
            for (int i = 0; i < ITERATIONS; i++) {
                sha.update(hash);
                sha.update(signatureKey);
                hash = sha.digest();
            }
            return hash;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first 30 bytes as six 5-digit groups (each 5 bytes taken mod 100000), space separated. */
    static String digits(byte[] fingerprint) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            long chunk = 0;
            for (int j = 0; j < 5; j++) {
                chunk = (chunk << 8) | (fingerprint[i * 5 + j] & 0xFF);
            }
            out.append(String.format("%05d ", chunk % 100_000));
        }
        return out.toString();
    }
}
