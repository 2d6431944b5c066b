package org.wardline.server.incident;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.wardline.protocol.ErrorCode;
import org.wardline.server.account.UserStatus;
import org.wardline.server.account.UserStore;
import org.wardline.server.admin.Offboarding;
import org.wardline.server.delivery.ConversationFreezes;
import org.wardline.server.device.DeviceRevocation;
import org.wardline.server.http.WardlineHttpException;
import org.wardline.server.pki.RevocationReason;
import org.wardline.server.retention.LegalHold;
import org.wardline.server.retention.RetentionStore;
import org.wardline.server.sharelink.ShareLinks;
import org.wardline.storage.audit.AuditAction;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Containment taken from an incident, each one step with a reason, through the services that already do it
 * (offboarding's suspension, device revocation, share-link revocation, legal holds). The object is first claimed for
 * the incident (a second containment of it is refused), then contained; if that fails the claim is removed, so the
 * officer can retry and the timeline names only what happened (ADR 0020t).
 */
public final class Containment {
    public static final AuditAction CONTAINED = new AuditAction("incident.containment.done");
    /** A legal matter reference, as for holds placed by hand: a short code, never a name. */
    private static final Pattern MATTER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}");

    private final IncidentStore incidents;
    private final UserStore users;
    private final Offboarding offboarding;
    private final DeviceRevocation revocation;
    private final DeviceWipe wipe;
    private final ShareLinks shareLinks;
    private final RetentionStore retention;
    private final ConversationFreezes freezes;

    /** The remote wipe of one device, for the officer (the wipe module's). */
    @FunctionalInterface
    public interface DeviceWipe {
        Future<JsonObject> wipe(UUID device, IncidentStore.Actor by);
    }

    public Containment(IncidentStore incidents, UserStore users, Offboarding offboarding, DeviceRevocation revocation,
                       DeviceWipe wipe, ShareLinks shareLinks, RetentionStore retention, ConversationFreezes freezes) {
        this.wipe = wipe;
        this.freezes = freezes;
        this.incidents = incidents;
        this.users = users;
        this.offboarding = offboarding;
        this.revocation = revocation;
        this.shareLinks = shareLinks;
        this.retention = retention;
    }

    /** A validated containment request. */
    public record Request(ContainmentAction action, String objectType, String objectId, IncidentReason reason,
                          Optional<String> matter) {
        static Request parse(JsonObject body) {
            ContainmentAction action = IncidentRoutes.optionalCode(body, "action").flatMap(ContainmentAction::parse)
                    .orElseThrow(() -> new WardlineHttpException(ErrorCode.INCIDENT_INVALID));
            IncidentReason reason = IncidentRoutes.optionalCode(body, "reason").flatMap(IncidentReason::parse)
                    .orElseThrow(() -> new WardlineHttpException(ErrorCode.INCIDENT_INVALID));
            return switch (action) {
                case SUSPEND_ACCOUNT, REVOKE_USER_LINKS -> new Request(action, "user",
                        IncidentRoutes.uuidField(body, "userId").toString(), reason, Optional.empty());
                case REVOKE_DEVICE, WIPE_DEVICE -> new Request(action, "device", IncidentRoutes.uuidField(body, "deviceId").toString(), reason,
                        Optional.empty());
                case REVOKE_LINK -> new Request(action, "sharelink", IncidentRoutes.uuidField(body, "linkId").toString(), reason,
                        Optional.empty());
                case REVOKE_FILE_LINKS -> new Request(action, "file", IncidentRoutes.uuidField(body, "fileId").toString(), reason,
                        Optional.empty());
                case FREEZE_CONVERSATION -> new Request(action, "conversation", Long.toString(conversationId(body)), reason,
                        Optional.empty());
                case LEGAL_HOLD -> {
                    LegalHold.Scope scope = IncidentRoutes.optionalCode(body, "scope").flatMap(LegalHold.Scope::parse)
                            .orElseThrow(() -> new WardlineHttpException(ErrorCode.INCIDENT_INVALID));
                    Object subject = body.getValue("subjectId");
                    String matter = IncidentRoutes.optionalCode(body, "matter").filter(m -> MATTER.matcher(m).matches())
                            .orElseThrow(() -> new WardlineHttpException(ErrorCode.INCIDENT_INVALID));
                    if (!(subject instanceof String) && !(subject instanceof Number)) {
                        throw new WardlineHttpException(ErrorCode.INCIDENT_INVALID);
                    }
                    yield new Request(action, scope.wireName(), String.valueOf(subject), reason, Optional.of(matter));
                }
            };
        }
    }

    /** A conversation's row ID (as audit entries and legal holds name it), as a number or a string of digits. */
    private static long conversationId(JsonObject body) {
        Object v = body.getValue("conversationId");
        try {
            long id = v instanceof Number n && n.doubleValue() == n.longValue() ? n.longValue()
                    : v instanceof String s && s.matches("[0-9]{1,18}") ? Long.parseLong(s) : -1;
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException ignored) {
            // falls through to the refusal
        }
        throw new WardlineHttpException(ErrorCode.INCIDENT_INVALID);
    }

    /** The containments recorded on an incident, in the order they were taken. */
    public Future<JsonArray> containments(UUID incident) {
        return incidents.pool().preparedQuery("SELECT * FROM incident_containments WHERE incident_id = $1 AND result IS NOT NULL "
                + "ORDER BY contained_at, action").execute(Tuple.of(incident)).map(rows -> {
                    JsonArray a = new JsonArray();
                    rows.forEach(r -> a.add(new JsonObject().put("action", r.getString("action"))
                            .put("objectType", r.getString("object_type")).put("objectId", r.getString("object_id"))
                            .put("reason", r.getString("reason")).put("containedBy", r.getUUID("contained_by").toString())
                            .put("containedAt", r.getOffsetDateTime("contained_at").toInstant().toString())
                            .put("result", (JsonObject) r.getJson("result"))));
                    return a;
                });
    }

    /** Contains the object of {@code request} for the incident; answers what was done, as recorded on the timeline. */
    public Future<JsonObject> contain(UUID incident, Request request, IncidentStore.Actor by) {
        return check(request).compose(v -> claim(incident, request, by))
                .compose(v -> perform(incident, request, by).recover(e -> release(incident, request).transform(x -> Future.failedFuture(e))))
                .compose(result -> finish(incident, request, by, result));
    }

    /** Refuses up front what cannot be contained: an unknown subject, or one already in the contained state. */
    private Future<Void> check(Request r) {
        Pool pool = incidents.pool();
        UUID id = r.action() == ContainmentAction.LEGAL_HOLD || r.action() == ContainmentAction.FREEZE_CONVERSATION ? null
                : UUID.fromString(r.objectId());
        return switch (r.action()) {
            case SUSPEND_ACCOUNT, REVOKE_USER_LINKS -> users.byId(id).compose(u -> {
                if (u.isEmpty()) {
                    return Future.failedFuture(new WardlineHttpException(ErrorCode.UNKNOWN_USER));
                }
                if (r.action() == ContainmentAction.SUSPEND_ACCOUNT && u.get().status() != UserStatus.ACTIVE) {
                    return Future.failedFuture(new WardlineHttpException(ErrorCode.INCIDENT_ALREADY_CONTAINED));
                }
                return r.action() == ContainmentAction.REVOKE_USER_LINKS
                        ? liveLinks(pool, "owner_id", id) : Future.succeededFuture();
            });
            case REVOKE_DEVICE -> pool.preparedQuery("SELECT revoked_at FROM devices WHERE id = $1").execute(Tuple.of(id))
                    .compose(rows -> rows.size() == 0 ? Future.failedFuture(new WardlineHttpException(ErrorCode.DEVICE_UNKNOWN))
                            : rows.iterator().next().getValue(0) != null
                            ? Future.failedFuture(new WardlineHttpException(ErrorCode.INCIDENT_ALREADY_CONTAINED))
                            : Future.succeededFuture());
            case WIPE_DEVICE -> pool.preparedQuery("SELECT 1 FROM devices WHERE id = $1").execute(Tuple.of(id))
                    .compose(rows -> rows.size() == 0 ? Future.failedFuture(new WardlineHttpException(ErrorCode.DEVICE_UNKNOWN))
                            : Future.succeededFuture());
            case REVOKE_LINK -> exists(pool, "SELECT 1 FROM share_links WHERE link_id = $1", id)
                    .compose(v -> liveLinks(pool, "link_id", id));
            case REVOKE_FILE_LINKS -> exists(pool, "SELECT 1 FROM stored_objects WHERE object_id = $1", id)
                    .compose(v -> liveLinks(pool, "object_id", id));
            case LEGAL_HOLD -> Future.succeededFuture();
            case FREEZE_CONVERSATION -> pool.preparedQuery("SELECT 1 FROM conversations WHERE id = $1")
                    .execute(Tuple.of(Long.parseLong(r.objectId()))).compose(rows -> rows.size() == 0
                            ? Future.failedFuture(new WardlineHttpException(ErrorCode.UNKNOWN_CONVERSATION))
                            : freezes.isFrozen(Long.parseLong(r.objectId())).compose(frozen -> frozen
                            ? Future.failedFuture(new WardlineHttpException(ErrorCode.INCIDENT_ALREADY_CONTAINED))
                            : Future.succeededFuture()));
        };
    }

    private static Future<Void> exists(Pool pool, String sql, UUID id) {
        return pool.preparedQuery(sql).execute(Tuple.of(id)).compose(rows -> rows.size() == 0
                ? Future.failedFuture(new WardlineHttpException(ErrorCode.INCIDENT_NOTHING_TO_CONTAIN)) : Future.succeededFuture());
    }

    private static Future<Void> liveLinks(Pool pool, String column, UUID id) {
        return pool.preparedQuery("SELECT 1 FROM share_links WHERE " + column + " = $1 AND revoked_at IS NULL LIMIT 1")
                .execute(Tuple.of(id)).compose(rows -> rows.size() == 0
                        ? Future.failedFuture(new WardlineHttpException(ErrorCode.INCIDENT_ALREADY_CONTAINED))
                        : Future.succeededFuture());
    }

    private Future<Void> claim(UUID incident, Request r, IncidentStore.Actor by) {
        return incidents.pool().withTransaction(tx -> incidents.locked(tx, incident).compose(current -> {
            if (!current.status().acceptsActions()) {
                return Future.failedFuture(new WardlineHttpException(ErrorCode.INCIDENT_CLOSED));
            }
            return tx.preparedQuery("INSERT INTO incident_containments (incident_id, action, object_type, object_id, reason, "
                            + "contained_by, contained_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING")
                    .execute(Tuple.of(incident, r.action().wireName(), r.objectType(), r.objectId(), r.reason().wireName(),
                            by.userId(), OffsetDateTime.ofInstant(by.at(), ZoneOffset.UTC)))
                    .compose(rows -> rows.rowCount() == 1 ? Future.<Void>succeededFuture()
                            : Future.failedFuture(new WardlineHttpException(ErrorCode.INCIDENT_ALREADY_CONTAINED)));
        }));
    }

    private Future<Void> release(UUID incident, Request r) {
        return incidents.pool().preparedQuery("DELETE FROM incident_containments WHERE incident_id = $1 AND action = $2 "
                        + "AND object_id = $3 AND result IS NULL")
                .execute(Tuple.of(incident, r.action().wireName(), r.objectId())).mapEmpty();
    }

    private Future<JsonObject> perform(UUID incident, Request r, IncidentStore.Actor by) {
        return switch (r.action()) {
            case SUSPEND_ACCOUNT -> offboarding.offboard(UUID.fromString(r.objectId()), Optional.empty(), by.userId())
                    .map(done -> new JsonObject().put("status", "disabled").put("sessionsEnded", done.sessionsEnded())
                            .put("devicesRevoked", done.devicesRevoked()).put("shareLinksRevoked", done.shareLinksRevoked())
                            .put("filesKept", done.filesKept()));
            case REVOKE_DEVICE -> revocation.revoke(UUID.fromString(r.objectId()), r.reason() == IncidentReason.LOST_DEVICE
                            || r.reason() == IncidentReason.STOLEN_DEVICE ? RevocationReason.LOST : RevocationReason.ADMIN)
                    .compose(revoked -> revoked ? Future.succeededFuture(new JsonObject().put("revoked", true))
                            : Future.failedFuture(new WardlineHttpException(ErrorCode.INCIDENT_ALREADY_CONTAINED)));
            case WIPE_DEVICE -> wipe.wipe(UUID.fromString(r.objectId()), by);
            case REVOKE_LINK, REVOKE_FILE_LINKS, REVOKE_USER_LINKS -> shareLinks.revokeForIncident(r.objectType().equals("sharelink")
                            ? "link" : r.objectType(), UUID.fromString(r.objectId()), by.userId())
                    .compose(ids -> ids.isEmpty() ? Future.failedFuture(new WardlineHttpException(ErrorCode.INCIDENT_ALREADY_CONTAINED))
                            : Future.succeededFuture(new JsonObject().put("shareLinksRevoked", ids.size())
                            .put("linkIds", new JsonArray(ids.stream().map(UUID::toString).toList()))));
            case LEGAL_HOLD -> retention.placeHold(LegalHold.Scope.parse(r.objectType()).orElseThrow(), r.objectId(),
                            r.matter().orElseThrow(), null, by.userId())
                    .map(h -> new JsonObject().put("holdId", h.id().toString()).put("matter", h.matter()));
            case FREEZE_CONVERSATION -> freezes.freeze(Long.parseLong(r.objectId()), incident, by.userId())
                    .map(members -> new JsonObject().put("frozen", true).put("memberDevices", members));
        };
    }

    private Future<JsonObject> finish(UUID incident, Request r, IncidentStore.Actor by, JsonObject result) {
        return incidents.pool().preparedQuery("UPDATE incident_containments SET result = $4 WHERE incident_id = $1 AND action = $2 "
                        + "AND object_id = $3").execute(Tuple.of(incident, r.action().wireName(), r.objectId(), result))
                .compose(v -> incidents.record(incident, by, new IncidentStore.Step("containment." + r.action().wireName(),
                        r.objectType(), r.objectId(), r.reason().wireName(), result)))
                .map(entry -> new JsonObject().put("incidentId", incident.toString()).put("action", r.action().wireName())
                        .put("objectType", r.objectType()).put("objectId", r.objectId()).put("reason", r.reason().wireName())
                        .put("result", result).put("timelineEntry", entry));
    }
}
