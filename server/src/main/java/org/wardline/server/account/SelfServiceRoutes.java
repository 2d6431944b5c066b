package org.wardline.server.account;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.wardline.protocol.ErrorCode;
import org.wardline.protocol.Secret;
import org.wardline.server.ApiModule;
import org.wardline.server.auth.SecondFactors;
import org.wardline.server.auth.SessionStore;
import org.wardline.server.auth.SourceAddress;
import org.wardline.server.http.RequestIds;
import org.wardline.server.rbac.Authorizer;
import org.wardline.server.rbac.Permission;
import org.wardline.server.rbac.Principal;
import org.wardline.server.rbac.RouteRegistry;
import org.wardline.server.rbac.RouteRegistry.Listener;

import java.util.UUID;

import static org.wardline.server.auth.JsonExchange.body;
import static org.wardline.server.auth.JsonExchange.handle;
import static org.wardline.server.auth.JsonExchange.secret;
import static org.wardline.server.auth.JsonExchange.uuid;

/**
 * A user's own password change (current password, with the sign-in back-off; NIST rules for the new one, every other session ended) and an
 * administrator's second-factor reset for a lost phone (TOTP and recovery codes removed, sessions ended; the
 * next sign-in enrols again).
 */
public final class SelfServiceRoutes implements ApiModule {
    private final UserStore users;
    private final PasswordHasher hasher;
    private final PasswordPolicy policy;
    private final SessionStore sessions;
    private final SecondFactors factors;
    private final LoginThrottle throttle;
    private final AccountEvents events;

    public SelfServiceRoutes(UserStore users, PasswordHasher hasher, PasswordPolicy policy, SessionStore sessions,
                             SecondFactors factors, LoginThrottle throttle, AccountEvents events) {
        this.throttle = throttle;
        this.users = users;
        this.hasher = hasher;
        this.policy = policy;
        this.sessions = sessions;
        this.factors = factors;
        this.events = events;
    }

    @Override
    public void mount(RouteRegistry routes) {
        for (Listener l : Listener.values()) {
            routes.on(l, HttpMethod.POST, "/v1/me/password").permission(Permission.SELF).json()
                    .handler(ctx -> handle(ctx, () -> changePassword(ctx)));
            routes.on(l, HttpMethod.POST, "/v1/admin/users/:userId/mfa-reset").permission(Permission.USER_MANAGE).stepUp()
                    .handler(ctx -> handle(ctx, () -> resetMfa(ctx)));
        }
    }

    private Future<JsonObject> changePassword(RoutingContext ctx) {
        Principal p = Authorizer.principal(ctx);
        JsonObject b = body(ctx);
        Secret<String> current = secret(b, "currentPassword");
        Secret<String> next = secret(b, "newPassword");
        if (policy.refusal(next, p.user().username()).isPresent()) {
            throw new AccountException(ErrorCode.PASSWORD_REJECTED);
        }
        java.util.List<String> keys = java.util.List.of(LoginThrottle.accountKey(p.user().username()));
        return throttle.waitFor(keys).compose(wait -> wait.isZero() || wait.isNegative() ? users.credentials(p.user().username())
                        : Future.failedFuture(new AccountException(ErrorCode.AUTH_LOCKED)))
                .compose(c -> hasher.verify(current, c.map(UserStore.Credentials::passwordHash).orElse(null)))
                .compose(ok -> {
                    if (!ok) {
                        record(ctx, p, AccountEvent.Type.PASSWORD_CHANGED, AccountEvent.Outcome.FAILURE, p.userId(), "bad_current_password");
                        return throttle.recordFailure(keys).compose(v -> Future.failedFuture(new AccountException(ErrorCode.AUTH_FAILED)));
                    }
                    return hasher.hash(next).compose(h -> recordFirst(ctx, p, AccountEvent.Type.PASSWORD_CHANGED, p.userId(), "other_sessions_ended")
                                    .compose(v -> users.setPasswordHash(p.userId(), h)))
                            .compose(v -> sessions.revokeOthers(p.userId(), p.session().id(), "password_changed"))
                            .map(n -> new JsonObject().put("passwordChanged", true).put("otherSessionsEnded", n));
                });
    }

    private Future<JsonObject> resetMfa(RoutingContext ctx) {
        Principal p = Authorizer.principal(ctx);
        UUID user = uuid(ctx.pathParam("userId"));
        return users.byId(user).compose(u -> {
            if (u.isEmpty()) {
                return Future.failedFuture(new AccountException(ErrorCode.NOT_FOUND));
            }
            return recordFirst(ctx, p, AccountEvent.Type.MFA_RESET, user, "sessions_ended").compose(v -> factors.reset(user))
                    .compose(had -> sessions.revokeAll(user, "mfa_reset"))
                    .map(n -> new JsonObject().put("userId", user.toString()).put("mfaReset", true).put("sessionsEnded", n));
        });
    }

    /**
     * Writes the entry of a change about to be made; the change is made only once it is written, and refused with
     * {@code audit.unavailable} (nothing changed) when it cannot be.
     */
    private Future<Void> recordFirst(RoutingContext ctx, Principal p, AccountEvent.Type type, UUID object, String detail) {
        return events.recordDurably(event(ctx, p, type, AccountEvent.Outcome.SUCCESS, object, detail))
                .recover(unaudited -> Future.failedFuture(new AccountException(ErrorCode.AUDIT_UNAVAILABLE)));
    }

    private void record(RoutingContext ctx, Principal p, AccountEvent.Type type, AccountEvent.Outcome outcome, UUID object, String detail) {
        events.record(event(ctx, p, type, outcome, object, detail));
    }

    private static AccountEvent event(RoutingContext ctx, Principal p, AccountEvent.Type type, AccountEvent.Outcome outcome, UUID object,
                                      String detail) {
        return AccountEvent.of(type, outcome).actor(p.userId(), p.deviceId()).source(SourceAddress.of(ctx), RequestIds.of(ctx))
                .object("user", object).detail(detail).build();
    }
}
