package org.wardline.server.incident;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import org.wardline.protocol.ErrorCode;
import org.wardline.server.http.WardlineHttpException;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The assessment of an incident and the notifications sent for it, with the rules they put on the incident's
 * status: recording the assessment makes an open or contained incident assessed; it is notified only once every
 * recipient the assessment requires is recorded; it closes from assessed only when no notification was due.
 */
public final class BreachRecords {
    private static final Set<String> RECIPIENTS = Set.of("individuals", "hhs", "media", "state_attorney_general");
    private static final Pattern METHOD = Pattern.compile("first_class_mail|email|telephone|substitute_website|substitute_media|"
            + "press_release|hhs_portal|letter");
    private final IncidentStore incidents;

    public BreachRecords(IncidentStore incidents) {
        this.incidents = incidents;
    }

    /** A notification as the officer records it. */
    public record Notification(String recipient, String method, int notified, Instant sentAt) {
        static Notification parse(JsonObject body, Instant discovered, Instant now) {
            String recipient = body.getValue("recipient") instanceof String r && RECIPIENTS.contains(r) ? r : null;
            String method = body.getValue("method") instanceof String m && METHOD.matcher(m).matches() ? m : null;
            if (recipient == null || method == null || !(body.getValue("notified") instanceof Number n) || n.intValue() < 0
                    || !(body.getValue("sentAt") instanceof String sent)) {
                throw new WardlineHttpException(ErrorCode.INCIDENT_INVALID);
            }
            Instant at;
            try {
                at = Instant.parse(sent);
            } catch (java.time.format.DateTimeParseException e) {
                throw new WardlineHttpException(ErrorCode.INCIDENT_INVALID);
            }
            if (at.isAfter(now) || at.isBefore(discovered)) {
                throw new WardlineHttpException(ErrorCode.INCIDENT_INVALID);
            }
            return new Notification(recipient, method, n.intValue(), at);
        }
    }

    /** Records (or revises, until notifications are sent) the assessment; an open or contained incident becomes assessed. */
    public Future<Incident> assess(UUID id, JsonObject body, IncidentStore.Actor by) {
        return incidents.pool().withTransaction(tx -> incidents.locked(tx, id).compose(current -> {
            if (current.status() == IncidentStatus.NOTIFIED || current.status() == IncidentStatus.CLOSED) {
                return Future.failedFuture(new WardlineHttpException(ErrorCode.INCIDENT_TRANSITION_REFUSED));
            }
            BreachAssessment a = BreachAssessment.parse(body, current.discoveredAt(), by.at());
            JsonObject states = new JsonObject();
            a.residentsByState().forEach(states::put);
            IncidentStatus next = IncidentStatus.ASSESSED;
            return tx.preparedQuery("INSERT INTO incident_assessments (incident_id, factors, conclusion, affected_individuals, "
                            + "residents_by_state, deadline, assessed_by, assessed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
                            + "ON CONFLICT (incident_id) DO UPDATE SET factors = $2, conclusion = $3, affected_individuals = $4, "
                            + "residents_by_state = $5, deadline = $6, assessed_by = $7, assessed_at = $8")
                    .execute(Tuple.wrap(new Object[]{id, a.factors(), a.conclusion().wireName(), a.affectedIndividuals(), states,
                            utc(a.deadline()), by.userId(), utc(by.at())}))
                    .compose(v -> tx.preparedQuery("UPDATE incidents SET status = $2, updated_at = $3 WHERE id = $1 RETURNING *")
                            .execute(Tuple.of(id, next.wireName(), utc(by.at()))))
                    .compose(rows -> incidents.append(tx, id, by, new IncidentStore.Step("assessment.recorded", "incident",
                                    id.toString(), null, new JsonObject().put("conclusion", a.conclusion().wireName())
                                    .put("affectedIndividuals", a.affectedIndividuals()).put("deadline", a.deadline().toString())
                                    .put("from", current.status().wireName())))
                            .map(x -> IncidentStore.incident(rows.iterator().next())));
        }));
    }

    /** Records a notification sent; refused before an assessment that requires notifications. */
    public Future<JsonObject> notified(UUID id, JsonObject body, IncidentStore.Actor by) {
        return incidents.pool().withTransaction(tx -> incidents.locked(tx, id).compose(current -> {
            if (!current.status().acceptsActions()) {
                return Future.failedFuture(new WardlineHttpException(ErrorCode.INCIDENT_CLOSED));
            }
            Notification n = Notification.parse(body, current.discoveredAt(), by.at());
            return assessment(tx, id).compose(a -> {
                if (a.isEmpty() || !a.get().notificationRequired()) {
                    return Future.failedFuture(new WardlineHttpException(ErrorCode.INCIDENT_ASSESSMENT_REQUIRED));
                }
                UUID nid = UUID.randomUUID();
                return tx.preparedQuery("INSERT INTO incident_notifications (id, incident_id, recipient, method, notified, sent_at, "
                                + "recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                        .execute(Tuple.wrap(new Object[]{nid, id, n.recipient(), n.method(), n.notified(), utc(n.sentAt()),
                                by.userId(), utc(by.at())}))
                        .compose(v -> incidents.append(tx, id, by, new IncidentStore.Step("notification.recorded", "notification",
                                nid.toString(), null, new JsonObject().put("recipient", n.recipient()).put("method", n.method())
                                .put("notified", n.notified()).put("sentAt", n.sentAt().toString())
                                .put("late", n.sentAt().isAfter(a.get().deadline())))))
                        .map(entry -> new JsonObject().put("id", nid.toString()).put("recipient", n.recipient())
                                .put("method", n.method()).put("notified", n.notified()).put("sentAt", n.sentAt().toString())
                                .put("late", n.sentAt().isAfter(a.get().deadline())));
            });
        }));
    }

    /** The check a status change must pass, inside its transaction. */
    public Future<Void> mayMove(SqlClient tx, Incident current, IncidentStatus to) {
        if (to != IncidentStatus.ASSESSED && to != IncidentStatus.NOTIFIED && to != IncidentStatus.CLOSED) {
            return Future.succeededFuture();
        }
        return assessment(tx, current.id()).compose(a -> {
            if (a.isEmpty()) {
                return Future.failedFuture(new WardlineHttpException(ErrorCode.INCIDENT_ASSESSMENT_REQUIRED));
            }
            if (to == IncidentStatus.CLOSED && current.status() == IncidentStatus.ASSESSED && a.get().notificationRequired()) {
                return Future.failedFuture(new WardlineHttpException(ErrorCode.INCIDENT_NOTIFICATIONS_MISSING));
            }
            if (to != IncidentStatus.NOTIFIED) {
                return Future.succeededFuture();
            }
            if (!a.get().notificationRequired()) {
                return Future.failedFuture(new WardlineHttpException(ErrorCode.INCIDENT_TRANSITION_REFUSED));
            }
            return tx.preparedQuery("SELECT DISTINCT recipient FROM incident_notifications WHERE incident_id = $1")
                    .execute(Tuple.of(current.id())).compose(rows -> {
                        Set<String> sent = new java.util.HashSet<>();
                        rows.forEach(r -> sent.add(r.getString(0)));
                        return sent.containsAll(a.get().requiredRecipients()) ? Future.<Void>succeededFuture()
                                : Future.failedFuture(new WardlineHttpException(ErrorCode.INCIDENT_NOTIFICATIONS_MISSING));
                    });
        });
    }

    public Future<Optional<BreachAssessment>> assessment(SqlClient client, UUID id) {
        return client.preparedQuery("SELECT * FROM incident_assessments WHERE incident_id = $1").execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(assessment(rows.iterator().next())));
    }

    public Future<JsonArray> notifications(UUID id) {
        return incidents.pool().preparedQuery("SELECT * FROM incident_notifications WHERE incident_id = $1 ORDER BY sent_at, id")
                .execute(Tuple.of(id)).map(rows -> {
                    JsonArray a = new JsonArray();
                    rows.forEach(r -> a.add(new JsonObject().put("id", r.getUUID("id").toString()).put("recipient", r.getString("recipient"))
                            .put("method", r.getString("method")).put("notified", r.getInteger("notified"))
                            .put("sentAt", r.getOffsetDateTime("sent_at").toInstant().toString())
                            .put("recordedBy", r.getUUID("recorded_by").toString())));
                    return a;
                });
    }

    private static BreachAssessment assessment(Row r) {
        return BreachAssessment.stored((JsonObject) r.getJson("factors"), r.getString("conclusion"), r.getInteger("affected_individuals"),
                (JsonObject) r.getJson("residents_by_state"), r.getOffsetDateTime("deadline").toInstant());
    }

    private static OffsetDateTime utc(Instant i) {
        return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }
}
