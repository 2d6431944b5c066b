package org.wardline.server.rbac;

import io.vertx.ext.web.RoutingContext;
import org.wardline.protocol.ErrorCode;
import org.wardline.server.account.AccountEvent;
import org.wardline.server.account.AccountEvents;
import org.wardline.server.http.RequestIds;
import org.wardline.server.http.WardlineHttpException;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

/**
 * Decides one request against its {@link Endpoint}: the permission from the caller's roles (and approved
 * elevations), the HIPAA-training gate for PHI, the care-team scope (membership or an open break-glass), and
 * step-up. Every refusal is recorded; so is every access through break-glass, which goes on to its handler only
 * once its entry is in the trail and is refused with {@link ErrorCode#AUDIT_UNAVAILABLE} when it cannot be written.
 */
public final class Authorizer {
    public static final String PRINCIPAL = "wardline.principal";
    public static final String VIA_BREAK_GLASS = "wardline.viaBreakGlass";

    private final AccountEvents events;
    private final Duration stepUpWindow;
    private final Clock clock;

    public Authorizer(AccountEvents events, Duration stepUpWindow, Clock clock) {
        this.events = events;
        this.stepUpWindow = stepUpWindow;
        this.clock = clock;
    }

    public Duration stepUpWindow() {
        return stepUpWindow;
    }

    public static Principal principal(RoutingContext ctx) {
        Principal p = ctx.get(PRINCIPAL);
        if (p == null) {
            throw new WardlineHttpException(ErrorCode.UNAUTHENTICATED);
        }
        return p;
    }

    void authorize(RoutingContext ctx, Endpoint e) {
        Principal p = principal(ctx);
        if (!p.grantedByRole(e.permission())) {
            deny(ctx, p, e, ErrorCode.FORBIDDEN, "no_permission");
            return;
        }
        if (e.permission().phi() && !p.trainingCurrent()) {
            deny(ctx, p, e, ErrorCode.TRAINING_EXPIRED, "training_expired");
            return;
        }
        UUID viaBreakGlass = null;
        if (e.teamParam() != null) {
            UUID team;
            try {
                team = UUID.fromString(ctx.pathParam(e.teamParam()));
            } catch (IllegalArgumentException | NullPointerException ex) {
                ctx.fail(new WardlineHttpException(ErrorCode.BAD_REQUEST));
                return;
            }
            if (!p.canAccessTeam(team)) {
                deny(ctx, p, e, ErrorCode.FORBIDDEN, "outside_team");
                return;
            }
            if (!p.teams().contains(team)) {
                viaBreakGlass = team;
            }
        }
        if (e.stepUp() && !p.secondFactorSince(clock.instant().minus(stepUpWindow))) {
            deny(ctx, p, e, ErrorCode.STEP_UP_REQUIRED, "step_up_required");
            return;
        }
        if (viaBreakGlass == null) {
            ctx.next();
            return;
        }
        ctx.put(VIA_BREAK_GLASS, true);
        io.vertx.core.Context request = io.vertx.core.Vertx.currentContext();
        events.recordDurably(event(ctx, p, e, AccountEvent.Type.BREAK_GLASS_ACCESS, AccountEvent.Outcome.SUCCESS)
                .object("team", viaBreakGlass).build()).onComplete(written -> onContext(request, () -> {
                    if (written.succeeded()) {
                        ctx.next();
                    } else {
                        refuse(ctx, ErrorCode.AUDIT_UNAVAILABLE);
                    }
                }));
    }

    /** The trail completes its writes on its own context; the request goes on on the one it arrived on. */
    private static void onContext(io.vertx.core.Context request, Runnable step) {
        if (request == null || io.vertx.core.Vertx.currentContext() == request) {
            step.run();
        } else {
            request.runOnContext(v -> step.run());
        }
    }

    /**
     * Decides one non-HTTP operation (a WebSocket frame) for {@code p}, recording a refusal like an HTTP one;
     * {@code requestId} is the request that opened the connection.
     */
    public java.util.Optional<ErrorCode> authorize(Principal p, Operation op, String sourceIp, String requestId) {
        java.util.Optional<ErrorCode> refusal = op.check(p, clock.instant());
        refusal.ifPresent(code -> events.record(AccountEvent.of(AccountEvent.Type.ACCESS_DENIED, AccountEvent.Outcome.DENIED)
                .actor(p.userId(), p.deviceId()).source(sourceIp, requestId)
                .object("operation", op.name()).detail(switch (code) {
                    case TRAINING_EXPIRED -> "training_expired";
                    case STEP_UP_REQUIRED -> "step_up_required";
                    default -> "no_permission";
                }).build()));
        return refusal;
    }

    private void deny(RoutingContext ctx, Principal p, Endpoint e, ErrorCode code, String why) {
        events.record(event(ctx, p, e, AccountEvent.Type.ACCESS_DENIED, AccountEvent.Outcome.DENIED)
                // "GET:/v1/files/:id": an audit object id is a short code, which has no spaces.
                .object("endpoint", e.method() + ":" + e.path()).detail(why).build());
        refuse(ctx, code);
    }

    private static void refuse(RoutingContext ctx, ErrorCode code) {
        if (!ctx.request().isEnded()) {
            ctx.request().resume();
        }
        ctx.fail(new WardlineHttpException(code));
    }

    private static AccountEvent.Builder event(RoutingContext ctx, Principal p, Endpoint e, AccountEvent.Type type,
                                              AccountEvent.Outcome outcome) {
        return AccountEvent.of(type, outcome).actor(p.userId(), p.deviceId())
                .source(ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress(),
                        RequestIds.of(ctx));
    }
}
