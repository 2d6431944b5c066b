package org.wardline.server.alert;

import io.vertx.core.json.JsonObject;
import org.wardline.storage.audit.alert.Alert;

import java.util.UUID;

/**
 * What leaves the server about an alert, by e-mail or webhook: the rule, severity, time, count, the audit entry
 * that raised it and the identifiers it names. Only codes, numbers and identifiers: no names, no free text a
 * person typed (a break-glass reason, a file name), no PHI. The reader looks the rest up in the audit trail.
 */
public record AlertPayload(UUID id, Alert alert) {

    public static AlertPayload of(Alert alert) {
        return new AlertPayload(UUID.randomUUID(), alert);
    }

    public JsonObject toJson() {
        return new JsonObject().put("id", id.toString()).put("rule", alert.rule())
                .put("severity", alert.severity().name()).put("occurredAt", alert.occurredAt().toString())
                .put("count", alert.count()).put("auditEntrySeq", alert.seq())
                .put("actorUserId", alert.actorUserId() == null ? null : alert.actorUserId().toString())
                .put("sourceIp", alert.sourceIp()).put("objectType", alert.objectType()).put("objectId", alert.objectId())
                .put("summary", alert.summary());
    }

    public String subject() {
        return "[Wardline] " + alert.severity().name() + " security alert: " + alert.rule();
    }

    /** Plain text for e-mail: the same fields as the JSON, one per line. */
    public String text() {
        StringBuilder sb = new StringBuilder("Wardline raised a security alert. Review it in the audit trail.\n\n");
        toJson().forEach(e -> {
            if (e.getValue() != null) {
                sb.append(e.getKey()).append(": ").append(e.getValue()).append('\n');
            }
        });
        sb.append("\nThe audit entry ").append(alert.seq()).append(" holds the details; this message carries none.\n");
        return sb.toString();
    }
}
