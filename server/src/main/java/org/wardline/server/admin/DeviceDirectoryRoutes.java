package org.wardline.server.admin;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.wardline.protocol.ErrorCode;
import org.wardline.server.ApiModule;
import org.wardline.server.device.EnrollmentCodes;
import org.wardline.server.http.WardlineHttpException;
import org.wardline.server.rbac.Authorizer;
import org.wardline.server.rbac.Permission;
import org.wardline.server.rbac.Principal;
import org.wardline.server.rbac.RouteRegistry;
import org.wardline.storage.audit.AuditAction;
import org.wardline.storage.audit.AuditDetails;

import java.time.OffsetDateTime;
import java.util.UUID;

import static org.wardline.server.auth.JsonExchange.handle;
import static org.wardline.server.auth.JsonExchange.uuid;

/**
 * The devices of the organisation as an admin or security officer sees them ({@code GET /v1/admin/devices}: owner,
 * name, platform, certificate expiry, revocation, wipe status), and an admin issuing a one-time enrollment code for
 * another user's first device ({@code POST /v1/admin/users/:userId/enrollment-codes}, step-up, audited), so that
 * onboarding needs no operator on the ops listener. A device's deliveries it acknowledged without reading them (kept
 * undecrypted, ACK's UNREAD) are counted in the list and listed by {@code GET /v1/admin/devices/:deviceId/unread-deliveries}.
 */
public final class DeviceDirectoryRoutes implements ApiModule {
    static final AuditAction CODE_ISSUED = new AuditAction("device.enrollment_code.issued");
    private static final String LIST = """
            SELECT d.id, d.user_id, u.username, d.name, d.platform, d.enrolled_at, d.last_seen_at, d.not_after,
                   d.revoked_at, d.revocation_reason, w.status AS wipe_status, w.confirmed_at AS wipe_confirmed_at,
                   (SELECT count(*) FROM unread_deliveries ud WHERE ud.device_id = d.id) AS unread_deliveries
              FROM devices d JOIN users u ON u.id = d.user_id LEFT JOIN device_wipes w ON w.device_id = d.id
             WHERE ($1::uuid IS NULL OR d.user_id = $1) ORDER BY lower(u.username), d.enrolled_at""";

    private static final String UNREAD = """
            SELECT ud.conversation_id, ud.message_id, ud.sender_device, ud.reason, ud.reported_at
              FROM unread_deliveries ud WHERE ud.device_id = $1 ORDER BY ud.reported_at DESC, ud.message_id DESC LIMIT 500""";

    private final Pool pool;
    private final EnrollmentCodes codes;
    private final AdminAudit audit;

    public DeviceDirectoryRoutes(Pool pool, EnrollmentCodes codes, AdminAudit audit) {
        this.pool = pool;
        this.codes = codes;
        this.audit = audit;
    }

    @Override
    public void mount(RouteRegistry routes) {
        RouteRegistry.Listener d = RouteRegistry.Listener.DEVICE;
        // The device list on both listeners: the web console (a browser device) shows it beside revoke and wipe (ADR 0016c).
        for (RouteRegistry.Listener l : RouteRegistry.Listener.values()) {
            routes.on(l, HttpMethod.GET, "/v1/admin/devices").permission(Permission.DEVICE_MANAGE)
                    .handler(ctx -> handle(ctx, () -> list(ctx)));
            routes.on(l, HttpMethod.GET, "/v1/admin/devices/:deviceId/unread-deliveries").permission(Permission.DEVICE_MANAGE)
                    .handler(ctx -> handle(ctx, () -> unread(ctx)));
        }
        routes.on(d, HttpMethod.POST, "/v1/admin/users/:userId/enrollment-codes").permission(Permission.USER_MANAGE).stepUp()
                .handler(ctx -> handle(ctx, () -> issue(ctx)));
    }

    private Future<JsonObject> list(RoutingContext ctx) {
        String user = ctx.queryParams().get("userId");
        return pool.preparedQuery(LIST).execute(Tuple.of(user == null ? null : uuid(user))).map(rows -> {
            JsonArray out = new JsonArray();
            rows.forEach(r -> out.add(device(r)));
            return new JsonObject().put("devices", out);
        });
    }

    /** The deliveries a device acknowledged without reading them (kept undecrypted on it), newest first, IDs only. */
    private Future<JsonObject> unread(RoutingContext ctx) {
        UUID device = uuid(ctx.pathParam("deviceId"));
        return pool.preparedQuery("SELECT 1 FROM devices WHERE id = $1").execute(Tuple.of(device)).compose(found -> {
            if (found.size() == 0) {
                return Future.failedFuture(new WardlineHttpException(ErrorCode.NOT_FOUND));
            }
            return pool.preparedQuery(UNREAD).execute(Tuple.of(device)).map(rows -> {
                JsonArray out = new JsonArray();
                rows.forEach(r -> out.add(new JsonObject().put("conversationId", r.getLong("conversation_id"))
                        .put("messageId", r.getLong("message_id")).put("senderDeviceId", r.getUUID("sender_device").toString())
                        .put("reason", r.getString("reason")).put("reportedAt", time(r.getOffsetDateTime("reported_at")))));
                return new JsonObject().put("deviceId", device.toString()).put("unreadDeliveries", out);
            });
        });
    }

    private Future<JsonObject> issue(RoutingContext ctx) {
        Principal p = Authorizer.principal(ctx);
        UUID user = uuid(ctx.pathParam("userId"));
        return pool.preparedQuery("SELECT status FROM users WHERE id = $1").execute(Tuple.of(user)).compose(rows -> {
            if (rows.size() == 0) {
                return Future.failedFuture(new WardlineHttpException(ErrorCode.NOT_FOUND));
            }
            if (!"active".equals(rows.iterator().next().getString("status"))) {
                return Future.failedFuture(new WardlineHttpException(ErrorCode.CONFLICT));
            }
            return codes.issue(user).map(issued -> {
                audit.success(ctx, p, CODE_ISSUED, "user", user.toString(), AuditDetails.builder().putCode("via", "admin").build());
                return new JsonObject().put("userId", user.toString()).put("code", issued.code().reveal())
                        .put("expiresAt", issued.expiresAt().toString());
            });
        });
    }

    private static JsonObject device(Row r) {
        return new JsonObject().put("id", r.getUUID("id").toString()).put("userId", r.getUUID("user_id").toString())
                .put("username", r.getString("username")).put("name", r.getString("name")).put("platform", r.getString("platform"))
                .put("enrolledAt", time(r.getOffsetDateTime("enrolled_at"))).put("lastSeenAt", time(r.getOffsetDateTime("last_seen_at")))
                .put("notAfter", time(r.getOffsetDateTime("not_after"))).put("revokedAt", time(r.getOffsetDateTime("revoked_at")))
                .put("revocationReason", r.getString("revocation_reason")).put("wipe", r.getString("wipe_status"))
                .put("wipeConfirmedAt", time(r.getOffsetDateTime("wipe_confirmed_at")))
                .put("unreadDeliveries", r.getLong("unread_deliveries"));
    }

    private static String time(OffsetDateTime t) {
        return t == null ? null : t.toInstant().toString();
    }
}
