package org.wardline.server.retention;

import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.UUID;

/** Keep {@code kind} for {@code days}, for the whole organisation ({@code team} null) or one care team. */
public record RetentionPolicy(RetentionKind kind, UUID team, int days, UUID updatedBy, Instant updatedAt) {

    public JsonObject toJson() {
        return new JsonObject().put("kind", kind.wireName()).put("scope", team == null ? "organisation" : "team")
                .put("teamId", team == null ? null : team.toString()).put("days", days)
                .put("updatedBy", updatedBy.toString()).put("updatedAt", updatedAt.toString());
    }
}
