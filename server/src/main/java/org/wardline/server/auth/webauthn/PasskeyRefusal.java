package org.wardline.server.auth.webauthn;

import org.wardline.protocol.ErrorCode;
import org.wardline.server.http.WardlineHttpException;

/**
 * A refused WebAuthn ceremony. The client sees only {@code auth.passkey_invalid}; {@link #reason} is the short
 * code the audit trail records ({@code challenge_used}, {@code origin_mismatch}, {@code clone_suspected} …).
 */
public final class PasskeyRefusal extends WardlineHttpException {
    private final String reason;

    public PasskeyRefusal(String reason) {
        super(ErrorCode.PASSKEY_INVALID);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
