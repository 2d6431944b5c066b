package org.wardline.server.alert;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.wardline.protocol.ErrorCode;
import org.wardline.server.ApiModule;
import org.wardline.server.admin.AdminAudit;
import org.wardline.server.http.WardlineHttpException;
import org.wardline.server.rbac.Authorizer;
import org.wardline.server.rbac.Permission;
import org.wardline.server.rbac.Principal;
import org.wardline.server.rbac.RouteRegistry;
import org.wardline.storage.audit.AuditAction;
import org.wardline.storage.audit.AuditDetails;

import java.util.UUID;

import static org.wardline.server.auth.JsonExchange.handle;
import static org.wardline.server.auth.JsonExchange.uuid;

/**
 * {@code GET /v1/admin/alerts[?open=true]} and {@code POST /v1/admin/alerts/:alertId/ack} on the device listener:
 * the security officer's list of raised alerts, and acknowledging one (a fresh second factor; audited).
 */
public final class AlertRoutes implements ApiModule {
    static final AuditAction ACKNOWLEDGED = new AuditAction("alert.acknowledged");
    private final AlertInbox inbox;
    private final AdminAudit audit;

    public AlertRoutes(AlertInbox inbox, AdminAudit audit) {
        this.inbox = inbox;
        this.audit = audit;
    }

    @Override
    public void mount(RouteRegistry routes) {
        // Both listeners: the CLI on an enrolled device, the web console as a browser device (ADR 0016c).
        for (RouteRegistry.Listener d : RouteRegistry.Listener.values()) {
            routes.on(d, HttpMethod.GET, "/v1/admin/alerts").permission(Permission.ALERT_MANAGE)
                    .handler(ctx -> handle(ctx, () -> inbox.list("true".equals(ctx.queryParams().get("open")))
                            .map(a -> new JsonObject().put("alerts", a))));
            routes.on(d, HttpMethod.POST, "/v1/admin/alerts/:alertId/ack").permission(Permission.ALERT_MANAGE).stepUp()
                    .handler(ctx -> handle(ctx, () -> acknowledge(ctx)));
        }
    }

    private Future<JsonObject> acknowledge(RoutingContext ctx) {
        Principal p = Authorizer.principal(ctx);
        UUID id = uuid(ctx.pathParam("alertId"));
        return inbox.acknowledge(id, p.userId()).compose(found -> {
            if (found.isEmpty()) {
                return Future.failedFuture(new WardlineHttpException(ErrorCode.NOT_FOUND));
            }
            JsonObject alert = found.get();
            if (!alert.getBoolean("changed")) {
                return Future.succeededFuture(alert);
            }
            return audit.success(ctx, p, ACKNOWLEDGED, "security_alert", id.toString(), AuditDetails.builder()
                            .putCode("rule", alert.getString("rule")).put("auditEntrySeq", alert.getLong("auditEntrySeq")).build())
                    .transform(written -> written.succeeded() ? Future.succeededFuture(alert)
                            : inbox.reopen(id, p.userId()).transform(v -> Future.<JsonObject>failedFuture(written.cause())));
        });
    }
}
