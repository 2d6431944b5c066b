package org.wardline.server.alert;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.wardline.storage.audit.alert.Alert;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

/**
 * The alerts raised, kept for the security officer to list and acknowledge ({@code wardline admin alerts}). It is
 * one more channel beside e-mail and webhook, and stores what they carry: codes, counts and identifiers only.
 */
public final class AlertInbox implements AlertChannel {
    private static final int LIST_LIMIT = 500;
    private final Pool pool;

    public AlertInbox(Pool pool) {
        this.pool = pool;
    }

    @Override
    public String name() {
        return "inbox";
    }

    @Override
    public Future<Void> deliver(AlertPayload payload) {
        Alert a = payload.alert();
        return pool.preparedQuery("INSERT INTO security_alerts (id, rule, severity, occurred_at, audit_seq, alert_count, "
                        + "actor_user_id, object_type, object_id, summary) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
                        + "ON CONFLICT (id) DO NOTHING")
                .execute(Tuple.wrap(new Object[]{payload.id(), a.rule(), a.severity().name(),
                        OffsetDateTime.ofInstant(a.occurredAt(), ZoneOffset.UTC), a.seq(), a.count(), a.actorUserId(),
                        a.objectType(), a.objectId(), a.summary()}))
                .mapEmpty();
    }

    /** The newest alerts first; {@code openOnly} leaves out acknowledged ones. */
    public Future<JsonArray> list(boolean openOnly) {
        return pool.preparedQuery("SELECT * FROM security_alerts" + (openOnly ? " WHERE acknowledged_at IS NULL" : "")
                        + " ORDER BY raised_at DESC, audit_seq DESC LIMIT " + LIST_LIMIT)
                .execute().map(rows -> {
                    JsonArray out = new JsonArray();
                    rows.forEach(r -> out.add(json(r)));
                    return out;
                });
    }

    /** Acknowledges an open alert; empty when there is no such alert, the alert as it was when already acknowledged. */
    public Future<Optional<JsonObject>> acknowledge(UUID id, UUID by) {
        return pool.preparedQuery("UPDATE security_alerts SET acknowledged_at = now(), acknowledged_by = $2 "
                        + "WHERE id = $1 AND acknowledged_at IS NULL RETURNING *")
                .execute(Tuple.of(id, by)).compose(rows -> rows.size() == 1
                        ? Future.succeededFuture(Optional.of(json(rows.iterator().next()).put("changed", true)))
                        : pool.preparedQuery("SELECT * FROM security_alerts WHERE id = $1").execute(Tuple.of(id))
                                .map(again -> again.size() == 0 ? Optional.<JsonObject>empty()
                                        : Optional.of(json(again.iterator().next()).put("changed", false))));
    }

    /** Opens again an alert {@code by} has just acknowledged (the acknowledgement could not be audited). */
    public Future<Void> reopen(UUID id, UUID by) {
        return pool.preparedQuery("UPDATE security_alerts SET acknowledged_at = NULL, acknowledged_by = NULL "
                + "WHERE id = $1 AND acknowledged_by = $2").execute(Tuple.of(id, by)).mapEmpty();
    }

    private static JsonObject json(Row r) {
        OffsetDateTime ack = r.getOffsetDateTime("acknowledged_at");
        UUID actor = r.getUUID("actor_user_id");
        UUID ackBy = r.getUUID("acknowledged_by");
        return new JsonObject().put("id", r.getUUID("id").toString()).put("rule", r.getString("rule"))
                .put("severity", r.getString("severity")).put("occurredAt", r.getOffsetDateTime("occurred_at").toInstant().toString())
                .put("auditEntrySeq", r.getLong("audit_seq")).put("count", r.getLong("alert_count"))
                .put("actorUserId", actor == null ? null : actor.toString()).put("objectType", r.getString("object_type"))
                .put("objectId", r.getString("object_id")).put("summary", r.getString("summary"))
                .put("raisedAt", r.getOffsetDateTime("raised_at").toInstant().toString())
                .put("acknowledgedAt", ack == null ? null : ack.toInstant().toString())
                .put("acknowledgedBy", ackBy == null ? null : ackBy.toString());
    }
}
