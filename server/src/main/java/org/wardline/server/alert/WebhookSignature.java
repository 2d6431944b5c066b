package org.wardline.server.alert;

import org.wardline.protocol.Secret;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The webhook signature: HMAC-SHA256 under the shared secret over {@code <timestamp>.<body>}, sent as
 * {@code Wardline-Signature: v1=<hex>} beside {@code Wardline-Timestamp: <unix seconds>}. Binding the
 * timestamp lets the receiver refuse an old message replayed to it (check it is within a few minutes).
 */
public final class WebhookSignature {
    public static final String SIGNATURE_HEADER = "Wardline-Signature";
    public static final String TIMESTAMP_HEADER = "Wardline-Timestamp";
    public static final String ID_HEADER = "Wardline-Alert-Id";

    private WebhookSignature() {
    }

    public static String sign(Secret<String> secret, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "v1=" + HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What a receiver does: a constant-time comparison of the header with the expected signature. */
    public static boolean verify(Secret<String> secret, long timestamp, String body, String header) {
        return header != null && MessageDigest.isEqual(sign(secret, timestamp, body).getBytes(StandardCharsets.US_ASCII),
                header.getBytes(StandardCharsets.US_ASCII));
    }
}
