package org.wardline.server.auth;

import io.vertx.core.json.JsonObject;
import org.wardline.protocol.Secret;

/** What a sign-in step returns: tokens, or a pending token for the next step (second factor or enrolment). */
public sealed interface SignInResult {
    JsonObject toJson();

    /** {@code dpopBound}: the access token is bound to a browser device's key and is sent as {@code Authorization: DPoP}. */
    record Tokens(Secret<String> accessToken, Secret<String> refreshToken, long expiresInSeconds,
                  java.util.UUID sessionId, boolean dpopBound) implements SignInResult {
        public Tokens(Secret<String> accessToken, Secret<String> refreshToken, long expiresInSeconds, java.util.UUID sessionId) {
            this(accessToken, refreshToken, expiresInSeconds, sessionId, false);
        }

        @Override
        public JsonObject toJson() {
            return new JsonObject().put("status", "signed_in").put("accessToken", accessToken.reveal())
                    .put("refreshToken", refreshToken.reveal()).put("tokenType", dpopBound ? "DPoP" : "Bearer")
                    .put("expiresIn", expiresInSeconds).put("sessionId", sessionId.toString());
        }
    }

    /** {@code stage} is {@code mfa} (enter a code) or {@code enroll} (set up TOTP first: MFA is mandatory). */
    record Pending(String stage, Secret<String> pendingToken) implements SignInResult {
        @Override
        public JsonObject toJson() {
            return new JsonObject().put("status", stage.equals("mfa") ? "mfa_required" : "mfa_enrollment_required")
                    .put("pendingToken", pendingToken.reveal());
        }
    }
}
