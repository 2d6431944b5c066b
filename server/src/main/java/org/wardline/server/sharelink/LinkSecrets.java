package org.wardline.server.sharelink;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Link secrets (256 random bits, base64url, carried only in the URL fragment), one-time codes, session tokens,
 * and their stored forms. Codes are MACed with the link secret as key, so the database alone cannot be used to
 * brute-force a 6-digit code.
 */
final class LinkSecrets {
    static final int SECRET_BYTES = 32;
    static final int CODE_DIGITS = 6;
    private static final Pattern SECRET_FORMAT = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Pattern CODE_FORMAT = Pattern.compile("[0-9]{6,8}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private LinkSecrets() {
    }

    static String newSecret() {
        return random(SECRET_BYTES);
    }

    static String newSessionToken() {
        return random(32);
    }

    static String newCode() {
        StringBuilder code = new StringBuilder(CODE_DIGITS);
        for (int i = 0; i < CODE_DIGITS; i++) {
            code.append(RANDOM.nextInt(10));
        }
        return code.toString();
    }

    /** The bytes of a well-formed secret, or empty: a malformed secret is never hashed or compared. */
    static Optional<byte[]> decodeSecret(String secret) {
        if (secret == null || !SECRET_FORMAT.matcher(secret).matches()) {
            return Optional.empty();
        }
        return Optional.of(Base64.getUrlDecoder().decode(secret));
    }

    static boolean wellFormedCode(String code) {
        return code != null && CODE_FORMAT.matcher(code).matches();
    }

    static byte[] sha256(byte[] value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] sha256(String value) {
        return sha256(value.getBytes(StandardCharsets.US_ASCII));
    }

    /** HMAC-SHA256 of the code under the link secret, bound to the link ID. */
    static byte[] codeMac(byte[] secret, UUID linkId, String code) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(("wardline-share-code:" + linkId + ":" + code).getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean same(byte[] a, byte[] b) {
        return a != null && b != null && MessageDigest.isEqual(a, b);
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
