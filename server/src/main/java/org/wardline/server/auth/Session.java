package org.wardline.server.auth;

import java.time.Instant;
import java.util.UUID;

/** A live sign-in session: whose, on which device (null for a browser), and when its second factor was last shown. */
public record Session(UUID id, UUID userId, UUID deviceId, Instant createdAt, Instant mfaAt, String authMethod) {
}
