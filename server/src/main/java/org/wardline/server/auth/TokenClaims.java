package org.wardline.server.auth;

import java.time.Instant;
import java.util.UUID;

/**
 * The verified content of a Wardline token: whose, which session and device, and until when; {@code dpopJkt} (the
 * {@code cnf.jkt} claim) names the browser-device key every request with this token must prove possession of.
 */
public record TokenClaims(UUID userId, UUID sessionId, UUID deviceId, String jti, Instant expiresAt, String stage,
                          String dpopJkt) {
}
