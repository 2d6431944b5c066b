package org.wardline.server.wipe;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import org.wardline.protocol.ErrorCode;
import org.wardline.server.ApiModule;
import org.wardline.server.delivery.DeviceRemoval;
import org.wardline.server.device.DeviceConnections;
import org.wardline.server.device.DeviceRoutes;
import org.wardline.server.device.DeviceStore;
import org.wardline.server.http.RequestIds;
import org.wardline.server.http.WardlineHttpException;
import org.wardline.server.rbac.Authorizer;
import org.wardline.server.rbac.Permission;
import org.wardline.server.rbac.Principal;
import org.wardline.server.rbac.RouteRegistry;
import org.wardline.storage.audit.AuditLog;

import java.util.Locale;
import java.util.UUID;

/**
 * Remote wipe on the device listener: an administrator ({@code DEVICE_MANAGE}, step-up) or the owner from another
 * of their devices (step-up) marks a device lost; the lost device fetches and confirms its wipe command (a browser
 * device on the public listener, with its DPoP key).
 */
public final class WipeModule implements ApiModule {
    static final String ADMIN_PATH = "/v1/admin/devices/:deviceId/wipe";
    static final String OWNER_PATH = "/v1/devices/:deviceId/wipe";
    static final String COMMAND_PATH = DeviceRoutes.WIPE_PATH;
    static final String CONFIRM_PATH = DeviceRoutes.WIPE_PATH + "/confirm";
    /** Time for the confirmation's answer to reach the device before its connection is closed. */
    private static final long CLOSE_AFTER_MS = 500;

    private final Vertx vertx;
    private final RemoteWipe wipe;

    public WipeModule(Vertx vertx, Pool pool, DeviceStore devices, DeviceConnections connections, AuditLog audit) {
        this(vertx, pool, devices, connections, audit, new DeviceRemoval(vertx, pool));
    }

    /** With the removal the delivery service should use (e.g. one that issues external Remove proposals). */
    public WipeModule(Vertx vertx, Pool pool, DeviceStore devices, DeviceConnections connections, AuditLog audit,
                      DeviceRemoval removal) {
        this.vertx = vertx;
        this.wipe = new RemoteWipe(vertx, new WipeStore(pool), devices, removal, new WipeAudit(audit));
        wipe.closeConnectionsOn(connections);
    }

    /**
     * Marks a device lost for a security officer's incident containment, as the admin route does (audited here as a
     * wipe request); answers what it did. Fails with {@code device.unknown} or {@code device.already_wiped}.
     */
    public io.vertx.core.Future<io.vertx.core.json.JsonObject> wipeForIncident(UUID deviceId, UUID officer, UUID officerDevice) {
        return wipe.request(deviceId, new RemoteWipe.Actor(officer, officerDevice, null, null), WipeVia.ADMIN)
                .map(RemoteWipe.Requested::toJson);
    }

    @Override
    public void mount(RouteRegistry routes) {
        RouteRegistry.Listener device = RouteRegistry.Listener.DEVICE;
        // An administrator's wipe and its status on both listeners: the web console is a browser device (ADR 0016c).
        for (RouteRegistry.Listener l : RouteRegistry.Listener.values()) {
            routes.on(l, HttpMethod.POST, ADMIN_PATH).permission(Permission.DEVICE_MANAGE).stepUp().handler(this::adminWipe);
            routes.on(l, HttpMethod.GET, ADMIN_PATH).permission(Permission.DEVICE_MANAGE).handler(this::status);
        }
        routes.on(device, HttpMethod.POST, OWNER_PATH).permission(Permission.SELF).stepUp().handler(this::ownerWipe);
        routes.on(device, HttpMethod.GET, COMMAND_PATH).permission(Permission.ENROLLED_DEVICE).handler(this::command);
        routes.on(device, HttpMethod.POST, CONFIRM_PATH).permission(Permission.ENROLLED_DEVICE).handler(this::confirm);
        // A browser device proves itself with its DPoP key alone here: a lost one has no session left, and a proof
        // without a token is good for POST only (DpopProofs), so the browser asks for its command with POST (ADR 0015x).
        RouteRegistry.Listener pub = RouteRegistry.Listener.PUBLIC;
        routes.on(pub, HttpMethod.POST, COMMAND_PATH).permission(Permission.PUBLIC).handler(this::browserCommand);
        routes.on(pub, HttpMethod.POST, CONFIRM_PATH).permission(Permission.PUBLIC).handler(this::browserConfirm);
    }

    /** A browser device asks whether a wipe waits for it (its DPoP proof names it). */
    private void browserCommand(RoutingContext ctx) {
        org.wardline.server.auth.dpop.BrowserDevice browser = org.wardline.server.auth.dpop.BrowserDevice.of(ctx);
        resume(ctx);
        if (browser == null) {
            ctx.fail(new WardlineHttpException(ErrorCode.UNAUTHENTICATED));
            return;
        }
        wipe.status(browser.identity().deviceId()).onSuccess(w -> ctx.json(new JsonObject().put("wipe",
                        w.filter(x -> x.status() == WipeStatus.PENDING).isPresent() ? "pending" : "none")))
                .onFailure(ctx::fail);
    }

    /** A browser device waiting for its wipe reports its local state destroyed. */
    private void browserConfirm(RoutingContext ctx) {
        DeviceStore.Device d = org.wardline.server.auth.dpop.BrowserDevice.waitingForWipe(ctx);
        resume(ctx);
        if (d == null) {
            ctx.fail(new WardlineHttpException(org.wardline.server.auth.dpop.BrowserDevice.of(ctx) == null
                    ? ErrorCode.UNAUTHENTICATED : ErrorCode.NOT_FOUND));
            return;
        }
        wipe.confirm(d, sourceIp(ctx)).onSuccess(w -> {
            ctx.response().endHandler(v -> vertx.setTimer(CLOSE_AFTER_MS, id -> wipe.stopCertificates(d.id())));
            ctx.json(new JsonObject().put("deviceId", d.id().toString()).put("status", w.status().wireValue())
                    .put("confirmedAt", w.confirmedAt().toString()));
        }).onFailure(ctx::fail);
    }

    private static void resume(RoutingContext ctx) {
        if (!ctx.request().isEnded()) {
            ctx.request().resume(); // BrowserDeviceProofs paused it while it looked the key up
        }
    }

    private void adminWipe(RoutingContext ctx) {
        UUID target = deviceParam(ctx);
        wipe.request(target, actor(ctx), WipeVia.ADMIN)
                .onSuccess(r -> ctx.response().setStatusCode(202).putHeader("Content-Type", "application/json")
                        .end(r.toJson().encode()))
                .onFailure(ctx::fail);
    }

    /** The owner wipes another of their own devices. */
    private void ownerWipe(RoutingContext ctx) {
        wipe.requestByOwner(deviceParam(ctx), actor(ctx))
                .onSuccess(r -> ctx.response().setStatusCode(202).putHeader("Content-Type", "application/json")
                        .end(r.toJson().encode()))
                .onFailure(ctx::fail);
    }

    private void status(RoutingContext ctx) {
        UUID target = deviceParam(ctx);
        wipe.status(target).onSuccess(w -> {
            if (w.isEmpty()) {
                ctx.fail(new WardlineHttpException(ErrorCode.NOT_FOUND));
                return;
            }
            JsonObject json = new JsonObject().put("deviceId", target.toString()).put("status", w.get().status().wireValue())
                    .put("via", w.get().via().name().toLowerCase(Locale.ROOT))
                    .put("requestedAt", w.get().requestedAt().toString());
            if (w.get().confirmedAt() != null) {
                json.put("confirmedAt", w.get().confirmedAt().toString());
            }
            ctx.json(json);
        }).onFailure(ctx::fail);
    }

    /** The device asks whether a wipe waits for it. */
    private void command(RoutingContext ctx) {
        DeviceStore.Device d = DeviceRoutes.device(ctx);
        wipe.status(d.id()).onSuccess(w -> ctx.json(new JsonObject().put("wipe",
                        w.filter(x -> x.status() == WipeStatus.PENDING).isPresent() ? "pending" : "none")))
                .onFailure(ctx::fail);
    }

    private void confirm(RoutingContext ctx) {
        DeviceStore.Device d = DeviceRoutes.device(ctx);
        wipe.confirm(d, sourceIp(ctx)).onSuccess(w -> {
            ctx.response().endHandler(v -> vertx.setTimer(CLOSE_AFTER_MS, id -> wipe.stopCertificates(d.id())));
            ctx.json(new JsonObject().put("deviceId", d.id().toString()).put("status", w.status().wireValue())
                    .put("confirmedAt", w.confirmedAt().toString()));
        }).onFailure(ctx::fail);
    }

    private static RemoteWipe.Actor actor(RoutingContext ctx) {
        Principal p = Authorizer.principal(ctx);
        return new RemoteWipe.Actor(p.userId(), p.deviceId(), sourceIp(ctx), RequestIds.of(ctx));
    }

    private static UUID deviceParam(RoutingContext ctx) {
        String s = ctx.pathParam("deviceId");
        try {
            UUID u = UUID.fromString(s);
            if (!u.toString().equals(s.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException();
            }
            return u;
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new WardlineHttpException(ErrorCode.BAD_REQUEST);
        }
    }

    private static String sourceIp(RoutingContext ctx) {
        return ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress();
    }
}
