package org.wardline.server.incident;

import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.UUID;

/**
 * One thing done on an incident: when, by whom (account and device), which action, on which object, why, and what
 * came of it ({@code details}: counts and identifiers).
 */
public record TimelineEntry(long id, Instant at, UUID actorUserId, UUID actorDeviceId, String action, String objectType,
                            String objectId, String reason, JsonObject details) {

    public JsonObject toJson() {
        return new JsonObject().put("id", id).put("at", at.toString()).put("actorUserId", actorUserId.toString())
                .put("actorDeviceId", actorDeviceId == null ? null : actorDeviceId.toString()).put("action", action)
                .put("objectType", objectType).put("objectId", objectId).put("reason", reason).put("details", details);
    }
}
