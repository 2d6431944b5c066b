package org.wardline.server.auth;

import java.time.Instant;
import java.util.UUID;

/** The verified content of a Wardline token: whose, which session and device, and until when. */
public record TokenClaims(UUID userId, UUID sessionId, UUID deviceId, String jti, Instant expiresAt, String stage) {
}
