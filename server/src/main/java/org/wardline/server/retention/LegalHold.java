package org.wardline.server.retention;

import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * A legal hold: while it is active nothing it covers is deleted by retention. A hold on a user covers the files
 * and share links they own and every conversation they are a member of; a hold on a team covers each member the
 * same way; a hold on a conversation covers its messages. {@code custodianRequired} asks the members' clients to add
 * the devices of the named records custodian ({@code custodian}) to the conversations it covers as visible MLS members
 * (ADR 0010).
 */
public record LegalHold(UUID id, Scope scope, String subject, String matter, boolean custodianRequired, UUID placedBy,
                        Instant placedAt, Optional<UUID> releasedBy, Optional<Instant> releasedAt, Optional<UUID> custodian) {

    public enum Scope {
        USER, TEAM, CONVERSATION;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Scope> parse(String s) {
            for (Scope v : values()) {
                if (v.wireName().equals(s)) {
                    return Optional.of(v);
                }
            }
            return Optional.empty();
        }
    }

    public boolean active() {
        return releasedAt.isEmpty();
    }

    public JsonObject toJson() {
        return new JsonObject().put("id", id.toString()).put("scope", scope.wireName()).put("subjectId", subject)
                .put("matter", matter).put("custodianRequired", custodianRequired)
                .put("placedBy", placedBy.toString()).put("placedAt", placedAt.toString())
                .put("active", active())
                .put("releasedBy", releasedBy.map(UUID::toString).orElse(null))
                .put("releasedAt", releasedAt.map(Instant::toString).orElse(null))
                .put("custodianUserId", custodian.map(UUID::toString).orElse(null));
    }
}
