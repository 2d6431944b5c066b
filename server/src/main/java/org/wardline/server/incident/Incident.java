package org.wardline.server.incident;

import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.UUID;

/** An incident as stored: codes and identifiers only; {@code drill} marks a rehearsal, never counted as a real incident. */
public record Incident(UUID id, String reference, IncidentCategory category, IncidentSeverity severity, IncidentStatus status,
                       UUID ownerId, UUID openedBy, Instant openedAt, Instant updatedAt, Instant discoveredAt, UUID alertId,
                       UUID subjectUserId, Instant closedAt, boolean drill) {

    public JsonObject toJson() {
        return new JsonObject().put("id", id.toString()).put("reference", reference).put("category", category.wireName())
                .put("severity", severity.wireName()).put("status", status.wireName()).put("ownerId", ownerId.toString())
                .put("openedBy", openedBy.toString()).put("openedAt", openedAt.toString()).put("updatedAt", updatedAt.toString())
                .put("discoveredAt", discoveredAt.toString()).put("alertId", alertId == null ? null : alertId.toString())
                .put("subjectUserId", subjectUserId == null ? null : subjectUserId.toString())
                .put("closedAt", closedAt == null ? null : closedAt.toString()).put("drill", drill);
    }
}
