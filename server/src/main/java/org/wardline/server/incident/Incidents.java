package org.wardline.server.incident;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import org.wardline.protocol.ErrorCode;
import org.wardline.server.account.Role;
import org.wardline.server.account.User;
import org.wardline.server.account.UserStatus;
import org.wardline.server.account.UserStore;
import org.wardline.server.http.WardlineHttpException;
import org.wardline.storage.audit.alert.AlertSeverity;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Opening incidents (from an alert or by hand), moving them through their statuses and giving them to another
 * owner. Every change is one transaction with its timeline entry ({@link IncidentStore}); auditing is the caller's.
 */
public final class Incidents {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
    private final IncidentStore store;
    private final UserStore users;
    private final BreachRecords breach;
    private final Clock clock;

    public Incidents(IncidentStore store, UserStore users, BreachRecords breach, Clock clock) {
        this.store = store;
        this.users = users;
        this.breach = breach;
        this.clock = clock;
    }

    public BreachRecords breach() {
        return breach;
    }

    public IncidentStore store() {
        return store;
    }

    public Clock clock() {
        return clock;
    }

    /** What an officer asks for when opening an incident by hand. */
    public record Report(IncidentCategory category, IncidentSeverity severity, Optional<UUID> subjectUser,
                         Optional<Instant> discoveredAt) {
    }

    /** Opens an incident by hand: a misdirected share, a phone its owner reports lost. */
    public Future<Incident> open(Report report, IncidentStore.Actor by) {
        return open(report, by, false);
    }

    /** Opens a rehearsal's incident: marked a drill, so it is never listed, counted or reported as a real one. */
    Future<Incident> openDrill(Report report, IncidentStore.Actor by) {
        return open(report, by, true);
    }

    private Future<Incident> open(Report report, IncidentStore.Actor by, boolean drill) {
        Instant discovered = report.discoveredAt().orElse(by.at());
        if (discovered.isAfter(by.at())) {
            return Future.failedFuture(new WardlineHttpException(ErrorCode.INCIDENT_INVALID));
        }
        return subject(report.subjectUser()).compose(subject -> store.open(newIncident(report.category(), report.severity(),
                        by, discovered, null, subject.orElse(null), drill),
                by, new IncidentStore.Step("incident.opened", "incident", null, null, new JsonObject()
                        .put("category", report.category().wireName()).put("severity", report.severity().wireName()))));
    }

    /** Opens an incident from a raised alert: its rule gives the category, its severity the severity (unless given). */
    public Future<Incident> openFromAlert(UUID alertId, Optional<IncidentSeverity> severity, IncidentStore.Actor by) {
        return store.pool().preparedQuery("SELECT rule, severity, actor_user_id, raised_at FROM security_alerts WHERE id = $1")
                .execute(Tuple.of(alertId)).compose(rows -> {
                    if (rows.size() == 0) {
                        return Future.failedFuture(new WardlineHttpException(ErrorCode.INCIDENT_UNKNOWN_ALERT));
                    }
                    var r = rows.iterator().next();
                    IncidentCategory category = IncidentCategory.ofAlertRule(r.getString("rule"));
                    IncidentSeverity s = severity.orElseGet(() -> IncidentSeverity.of(AlertSeverity.valueOf(r.getString("severity"))));
                    Instant discovered = r.getOffsetDateTime("raised_at").toInstant();
                    Incident incident = newIncident(category, s, by, discovered.isAfter(by.at()) ? by.at() : discovered, alertId,
                            r.getUUID("actor_user_id"), false);
                    return store.open(incident, by, new IncidentStore.Step("incident.opened", "security_alert",
                                    alertId.toString(), null, new JsonObject().put("category", category.wireName())
                                    .put("severity", s.wireName()).put("rule", r.getString("rule"))))
                            .compose(opened -> store.pool().preparedQuery("UPDATE security_alerts SET acknowledged_at = $2, "
                                            + "acknowledged_by = $3 WHERE id = $1 AND acknowledged_at IS NULL")
                                    .execute(Tuple.of(alertId, java.time.OffsetDateTime.ofInstant(by.at(), ZoneOffset.UTC), by.userId()))
                                    .map(opened));
                });
    }

    public Future<Incident> transition(UUID id, IncidentStatus to, IncidentStore.Actor by) {
        return store.byId(id).compose(found -> {
            Incident current = found.orElseThrow(() -> new WardlineHttpException(ErrorCode.INCIDENT_UNKNOWN));
            return store.transition(id, to, by, new IncidentStore.Step("incident.status.changed", "incident", id.toString(), null,
                    new JsonObject().put("from", current.status().wireName()).put("to", to.wireName())),
                    (tx, locked) -> breach.mayMove(tx, locked, to));
        });
    }

    /** Gives the incident to another owner, who must be an active security officer. */
    public Future<Incident> assign(UUID id, UUID owner, IncidentStore.Actor by) {
        return users.byId(owner).compose(u -> {
            if (u.filter(x -> x.status() == UserStatus.ACTIVE && x.roles().contains(Role.SECURITY_OFFICER)).isEmpty()) {
                return Future.failedFuture(new WardlineHttpException(ErrorCode.INCIDENT_OWNER_INVALID));
            }
            return store.assign(id, owner, by, new IncidentStore.Step("incident.assigned", "user", owner.toString(), null, null));
        });
    }

    public Future<Incident> get(UUID id) {
        return store.byId(id).map(found -> found.orElseThrow(() -> new WardlineHttpException(ErrorCode.INCIDENT_UNKNOWN)));
    }

    public Future<List<TimelineEntry>> timeline(UUID id) {
        return store.timeline(id);
    }

    public Future<List<Incident>> list(IncidentStatus status, boolean drills) {
        return store.list(status, drills);
    }

    private Future<Optional<UUID>> subject(Optional<UUID> user) {
        if (user.isEmpty()) {
            return Future.succeededFuture(Optional.empty());
        }
        return users.byId(user.get()).compose(u -> u.isEmpty()
                ? Future.failedFuture(new WardlineHttpException(ErrorCode.UNKNOWN_USER))
                : Future.succeededFuture(u.map(User::id)));
    }

    private Incident newIncident(IncidentCategory category, IncidentSeverity severity, IncidentStore.Actor by, Instant discovered,
                                 UUID alert, UUID subject, boolean drill) {
        UUID id = UUID.randomUUID();
        byte[] suffix = new byte[3];
        new java.security.SecureRandom().nextBytes(suffix);
        String reference = "INC-" + DAY.format(by.at()) + "-" + HexFormat.of().withUpperCase().formatHex(suffix);
        return new Incident(id, reference, category, severity, IncidentStatus.OPEN, by.userId(), by.userId(), by.at(), by.at(),
                discovered, alert, subject, null, drill);
    }
}
