package org.wardline.server.rbac;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.wardline.protocol.ErrorCode;
import org.wardline.server.ApiModule;
import org.wardline.server.account.AccountEvent;
import org.wardline.server.account.AccountEvents;
import org.wardline.server.account.AccountException;
import org.wardline.server.account.Role;
import org.wardline.server.account.SecurityAlerts;
import org.wardline.server.auth.SourceAddress;
import org.wardline.server.http.RequestIds;
import org.wardline.server.rbac.RouteRegistry.Listener;

import java.util.UUID;

import static org.wardline.server.auth.JsonExchange.body;
import static org.wardline.server.auth.JsonExchange.handle;
import static org.wardline.server.auth.JsonExchange.string;
import static org.wardline.server.auth.JsonExchange.uuid;

/**
 * Team-scoped access checks, break-glass and time-bound elevation. Break-glass needs a written reason and a
 * fresh second factor, raises an immediate alert, and leaves a review item; elevation needs an approver who
 * is not the requester.
 */
public final class AccessRoutes implements ApiModule {
    private final TeamStore teams;
    private final BreakGlassStore breakGlass;
    private final ElevationStore elevations;
    private final AccountEvents events;
    private final SecurityAlerts alerts;

    public AccessRoutes(TeamStore teams, BreakGlassStore breakGlass, ElevationStore elevations, AccountEvents events,
                        SecurityAlerts alerts) {
        this.teams = teams;
        this.breakGlass = breakGlass;
        this.elevations = elevations;
        this.events = events;
        this.alerts = alerts;
    }

    @Override
    public void mount(RouteRegistry routes) {
        for (Listener l : Listener.values()) {
            routes.on(l, HttpMethod.GET, "/v1/teams/:teamId/access").permission(Permission.MESSAGE_READ).team("teamId")
                    .handler(ctx -> handle(ctx, () -> Future.succeededFuture(new JsonObject().put("teamId", ctx.pathParam("teamId"))
                            .put("via", Boolean.TRUE.equals(ctx.get(Authorizer.VIA_BREAK_GLASS)) ? "break_glass" : "membership"))));
            routes.on(l, HttpMethod.POST, "/v1/break-glass").permission(Permission.BREAK_GLASS_INVOKE).stepUp().json()
                    .handler(ctx -> handle(ctx, () -> openBreakGlass(ctx)));
            routes.on(l, HttpMethod.POST, "/v1/elevations").permission(Permission.ELEVATION_REQUEST).json()
                    .handler(ctx -> handle(ctx, () -> requestElevation(ctx)));
            routes.on(l, HttpMethod.POST, "/v1/elevations/:id/approve").permission(Permission.ELEVATION_APPROVE).stepUp()
                    .handler(ctx -> handle(ctx, () -> approveElevation(ctx)));
            routes.on(l, HttpMethod.GET, "/v1/break-glass/reviews").permission(Permission.BREAK_GLASS_REVIEW)
                    .handler(ctx -> handle(ctx, () -> breakGlass.openReviews().map(a -> new JsonObject().put("items", a))));
            routes.on(l, HttpMethod.POST, "/v1/break-glass/:id/review").permission(Permission.BREAK_GLASS_REVIEW).json()
                    .handler(ctx -> handle(ctx, () -> review(ctx)));
        }
    }

    private Future<JsonObject> openBreakGlass(RoutingContext ctx) {
        Principal p = Authorizer.principal(ctx);
        JsonObject b = body(ctx);
        UUID team = uuid(string(b, "teamId", true));
        String reason = string(b, "reason", true).strip();
        if (reason.length() < BreakGlassStore.MIN_REASON || reason.length() > 2000) {
            throw new AccountException(ErrorCode.BAD_REQUEST);
        }
        return teams.exists(team).compose(exists -> {
            if (!exists) {
                return Future.failedFuture(new AccountException(ErrorCode.NOT_FOUND));
            }
            return breakGlass.open(p.userId(), team, reason).compose(opened -> {
                AccountEvent e = event(ctx, p, AccountEvent.Type.BREAK_GLASS_STARTED).object("team", team)
                        .detail("break_glass:" + opened.id()).build();
                return audited(e, () -> breakGlass.withdraw(opened.id())).map(v -> {
                    alerts.raise(e);
                    return new JsonObject().put("id", opened.id().toString()).put("teamId", team.toString())
                            .put("expiresAt", opened.expiresAt().toString());
                });
            });
        });
    }

    private Future<JsonObject> requestElevation(RoutingContext ctx) {
        Principal p = Authorizer.principal(ctx);
        JsonObject b = body(ctx);
        Role role = Role.parse(string(b, "role", true)).orElseThrow(() -> new AccountException(ErrorCode.BAD_REQUEST));
        Integer minutes = b.getValue("minutes") instanceof Integer i ? i : null;
        String reason = string(b, "reason", true);
        if (minutes == null || minutes < 5 || minutes > ElevationStore.MAX_MINUTES) {
            throw new AccountException(ErrorCode.BAD_REQUEST);
        }
        return elevations.request(p.userId(), role, minutes, reason).compose(id -> audited(event(ctx, p,
                        AccountEvent.Type.ELEVATION_REQUESTED).object("elevation", id).detail(role.wireName()).build(), () -> elevations.cancel(id))
                .map(v -> new JsonObject().put("id", id.toString()).put("status", "pending")));
    }

    private Future<JsonObject> approveElevation(RoutingContext ctx) {
        Principal p = Authorizer.principal(ctx);
        UUID id = uuid(ctx.pathParam("id"));
        return elevations.requester(id).compose(requester -> {
            if (requester.isEmpty()) {
                return Future.failedFuture(new AccountException(ErrorCode.NOT_FOUND));
            }
            if (!SeparationOfDuties.mayApproveElevation(p.userId(), requester.get())) {
                events.record(event(ctx, p, AccountEvent.Type.ELEVATION_APPROVED).object("elevation", id).detail("self_approval_refused").build());
                return Future.failedFuture(new AccountException(ErrorCode.FORBIDDEN));
            }
            return elevations.approve(id, p.userId()).compose(a -> {
                if (a.isEmpty()) {
                    return Future.failedFuture(new AccountException(ErrorCode.CONFLICT));
                }
                return audited(event(ctx, p, AccountEvent.Type.ELEVATION_APPROVED).object("user", a.get().userId())
                        .detail(a.get().role().wireName()).build(), () -> elevations.withdraw(id))
                        .map(v -> new JsonObject().put("id", id.toString()).put("role", a.get().role().wireName())
                        .put("expiresAt", a.get().expiresAt().toString()));
            });
        });
    }

    private Future<JsonObject> review(RoutingContext ctx) {
        Principal p = Authorizer.principal(ctx);
        UUID id = uuid(ctx.pathParam("id"));
        String note = string(body(ctx), "note", true);
        return breakGlass.review(id, p.userId(), note).compose(ok -> {
            if (!ok) {
                return Future.failedFuture(new AccountException(ErrorCode.NOT_FOUND));
            }
            return audited(event(ctx, p, AccountEvent.Type.BREAK_GLASS_REVIEWED).object("break_glass", id).build(),
                    () -> breakGlass.reopen(id, p.userId())).map(v -> new JsonObject().put("id", id.toString()).put("reviewed", true));
        });
    }

    /**
     * Writes the entry of a change just made (access granted, an elevation asked for, a review closed); when it cannot
     * be written, {@code undo} takes the change back and the request answers {@code audit.unavailable}.
     */
    private Future<Void> audited(AccountEvent e, java.util.function.Supplier<Future<Void>> undo) {
        return events.recordDurably(e).recover(unaudited -> undo.get()
                .transform(v -> Future.failedFuture(new AccountException(ErrorCode.AUDIT_UNAVAILABLE))));
    }

    private static AccountEvent.Builder event(RoutingContext ctx, Principal p, AccountEvent.Type type) {
        return AccountEvent.of(type, AccountEvent.Outcome.SUCCESS).actor(p.userId(), p.deviceId())
                .source(SourceAddress.of(ctx), RequestIds.of(ctx));
    }
}
