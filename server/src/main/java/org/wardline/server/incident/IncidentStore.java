package org.wardline.server.incident;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import org.wardline.protocol.ErrorCode;
import org.wardline.server.http.WardlineHttpException;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Incidents and their timelines in PostgreSQL. Every change to an incident and the timeline entry that records it
 * are written in one transaction, so the timeline cannot miss a change nor name one that did not happen.
 */
public final class IncidentStore {
    private static final int LIST_LIMIT = 500;
    private final Pool pool;

    public IncidentStore(Pool pool) {
        this.pool = pool;
    }

    public Pool pool() {
        return pool;
    }

    /** Who did something, from which device, when. */
    public record Actor(UUID userId, UUID deviceId, Instant at) {
        /** The same person and device, now. */
        public Actor now(java.time.Clock clock) {
            return new Actor(userId, deviceId, clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS));
        }
    }

    /** A timeline entry about to be written. */
    public record Step(String action, String objectType, String objectId, String reason, JsonObject details) {
        public Step {
            details = details == null ? new JsonObject() : details;
        }
    }

    /** Opens an incident and writes its first timeline entry. */
    public Future<Incident> open(Incident incident, Actor by, Step first) {
        return pool.withTransaction(tx -> tx.preparedQuery("INSERT INTO incidents (id, reference, category, severity, status, "
                        + "owner_id, opened_by, opened_at, updated_at, discovered_at, alert_id, subject_user_id, drill) "
                        + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10, $11, $12) ON CONFLICT (alert_id) DO NOTHING RETURNING *")
                .execute(Tuple.wrap(new Object[]{incident.id(), incident.reference(), incident.category().wireName(),
                        incident.severity().wireName(), incident.status().wireName(), incident.ownerId(), incident.openedBy(),
                        utc(incident.openedAt()), utc(incident.discoveredAt()), incident.alertId(), incident.subjectUserId(), incident.drill()}))
                .compose(rows -> {
                    if (rows.size() == 0) {
                        return Future.failedFuture(new WardlineHttpException(ErrorCode.INCIDENT_ALERT_TAKEN));
                    }
                    return append(tx, incident.id(), by, first).map(id -> incident(rows.iterator().next()));
                }));
    }

    public Future<Optional<Incident>> byId(UUID id) {
        return pool.preparedQuery("SELECT * FROM incidents WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(incident(rows.iterator().next())));
    }

    /** Incidents newest first; {@code status} null lists every status; drills only when {@code drills}, and then only drills. */
    public Future<List<Incident>> list(IncidentStatus status, boolean drills) {
        String where = " WHERE drill = " + drills + (status == null ? "" : " AND status = $1");
        Tuple args = status == null ? Tuple.tuple() : Tuple.of(status.wireName());
        return pool.preparedQuery("SELECT * FROM incidents" + where + " ORDER BY opened_at DESC, id LIMIT " + LIST_LIMIT)
                .execute(args).map(rows -> {
                    List<Incident> out = new ArrayList<>();
                    rows.forEach(r -> out.add(incident(r)));
                    return out;
                });
    }

    public Future<List<TimelineEntry>> timeline(UUID incident) {
        return pool.preparedQuery("SELECT * FROM incident_timeline WHERE incident_id = $1 ORDER BY id").execute(Tuple.of(incident))
                .map(rows -> {
                    List<TimelineEntry> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new TimelineEntry(r.getLong("id"), r.getOffsetDateTime("at").toInstant(),
                            r.getUUID("actor_user_id"), r.getUUID("actor_device_id"), r.getString("action"),
                            r.getString("object_type"), r.getString("object_id"), r.getString("reason"),
                            (JsonObject) r.getJson("details"))));
                    return out;
                });
    }

    /**
     * Moves the incident from the status it has to {@code to}, refusing a move its status does not allow; the row is
     * locked, so two officers moving it at once cannot both succeed from the same status; {@code guard} checks, in the
     * same transaction, what the move depends on (an assessment, the notifications it requires).
     */
    public Future<Incident> transition(UUID id, IncidentStatus to, Actor by, Step step,
                                       java.util.function.BiFunction<SqlClient, Incident, Future<Void>> guard) {
        return pool.withTransaction(tx -> locked(tx, id).compose(current -> {
            if (!current.status().mayMoveTo(to)) {
                return Future.failedFuture(new WardlineHttpException(ErrorCode.INCIDENT_TRANSITION_REFUSED));
            }
            return guard.apply(tx, current).compose(allowed -> tx.preparedQuery("UPDATE incidents SET status = $2, updated_at = $3, closed_at = $4 WHERE id = $1 RETURNING *")
                    .execute(Tuple.of(id, to.wireName(), utc(by.at()), to == IncidentStatus.CLOSED ? utc(by.at()) : null))
                    .compose(rows -> append(tx, id, by, step).map(x -> incident(rows.iterator().next()))));
        }));
    }

    /** Gives the incident to another owner; refused once it is closed. */
    public Future<Incident> assign(UUID id, UUID owner, Actor by, Step step) {
        return pool.withTransaction(tx -> locked(tx, id).compose(current -> {
            if (!current.status().acceptsActions()) {
                return Future.failedFuture(new WardlineHttpException(ErrorCode.INCIDENT_CLOSED));
            }
            return tx.preparedQuery("UPDATE incidents SET owner_id = $2, updated_at = $3 WHERE id = $1 RETURNING *")
                    .execute(Tuple.of(id, owner, utc(by.at())))
                    .compose(rows -> append(tx, id, by, step).map(x -> incident(rows.iterator().next())));
        }));
    }

    /** Records a step on an incident that is not closed (a containment done, evidence preserved …). */
    public Future<Long> record(UUID id, Actor by, Step step) {
        return pool.withTransaction(tx -> locked(tx, id).compose(current -> {
            if (!current.status().acceptsActions()) {
                return Future.failedFuture(new WardlineHttpException(ErrorCode.INCIDENT_CLOSED));
            }
            return tx.preparedQuery("UPDATE incidents SET updated_at = $2 WHERE id = $1").execute(Tuple.of(id, utc(by.at())))
                    .compose(x -> append(tx, id, by, step));
        }));
    }

    /** Sets (or replaces) what the incident covers, with its timeline entry; refused once it is closed. */
    public Future<IncidentScope> setScope(UUID id, IncidentScope scope, Actor by) {
        return pool.withTransaction(tx -> locked(tx, id).compose(current -> {
            if (!current.status().acceptsActions()) {
                return Future.failedFuture(new WardlineHttpException(ErrorCode.INCIDENT_CLOSED));
            }
            return tx.preparedQuery("INSERT INTO incident_scopes (incident_id, from_at, to_at, users, devices, files, links, set_by, set_at) "
                            + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (incident_id) DO UPDATE SET from_at = $2, "
                            + "to_at = $3, users = $4, devices = $5, files = $6, links = $7, set_by = $8, set_at = $9")
                    .execute(Tuple.wrap(new Object[]{id, utc(scope.from()), utc(scope.to()), scope.users().toArray(UUID[]::new),
                            scope.devices().toArray(UUID[]::new), scope.files().toArray(UUID[]::new), scope.links().toArray(UUID[]::new),
                            by.userId(), utc(by.at())}))
                    .compose(v -> append(tx, id, by, new Step("scope.set", "incident", id.toString(), null, new JsonObject()
                            .put("from", scope.from().toString()).put("to", scope.to().toString()).put("users", scope.users().size())
                            .put("devices", scope.devices().size()).put("files", scope.files().size()).put("links", scope.links().size()))))
                    .map(scope);
        }));
    }

    /** The scope the officer set, or the default one (ADR 0020s). */
    public Future<IncidentScope> scope(Incident incident, Instant now) {
        return pool.preparedQuery("SELECT * FROM incident_scopes WHERE incident_id = $1").execute(Tuple.of(incident.id()))
                .map(rows -> rows.size() == 0 ? IncidentScope.byDefault(incident, now) : IncidentScope.of(rows.iterator().next()));
    }

    /** The incident, locked for this transaction; fails with {@code incident.unknown} when there is none. */
    Future<Incident> locked(SqlClient tx, UUID id) {
        return tx.preparedQuery("SELECT * FROM incidents WHERE id = $1 FOR UPDATE").execute(Tuple.of(id))
                .compose(rows -> rows.size() == 0
                        ? Future.failedFuture(new WardlineHttpException(ErrorCode.INCIDENT_UNKNOWN))
                        : Future.succeededFuture(incident(rows.iterator().next())));
    }

    Future<Long> append(SqlClient tx, UUID incident, Actor by, Step step) {
        return tx.preparedQuery("INSERT INTO incident_timeline (incident_id, at, actor_user_id, actor_device_id, action, "
                        + "object_type, object_id, reason, details) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id")
                .execute(Tuple.wrap(new Object[]{incident, utc(by.at()), by.userId(), by.deviceId(), step.action(),
                        step.objectType(), step.objectId(), step.reason(), step.details()}))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    private static OffsetDateTime utc(Instant i) {
        return i == null ? null : OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }

    private static Instant instant(Row r, String column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }

    static Incident incident(Row r) {
        return new Incident(r.getUUID("id"), r.getString("reference"), IncidentCategory.parse(r.getString("category")).orElseThrow(),
                IncidentSeverity.parse(r.getString("severity")).orElseThrow(), IncidentStatus.parse(r.getString("status")).orElseThrow(),
                r.getUUID("owner_id"), r.getUUID("opened_by"), instant(r, "opened_at"), instant(r, "updated_at"),
                instant(r, "discovered_at"), r.getUUID("alert_id"), r.getUUID("subject_user_id"), instant(r, "closed_at"),
                r.getBoolean("drill"));
    }
}
