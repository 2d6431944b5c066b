package org.wardline.server.auth;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.wardline.protocol.ErrorCode;
import org.wardline.protocol.Secret;
import org.wardline.server.ApiModule;
import org.wardline.server.account.AccountEvent;
import org.wardline.server.account.AccountEvents;
import org.wardline.server.account.AccountException;
import org.wardline.server.http.RequestIds;
import org.wardline.server.rbac.Authorizer;
import org.wardline.server.rbac.Permission;
import org.wardline.server.rbac.Principal;
import org.wardline.server.rbac.RouteRegistry;
import org.wardline.server.rbac.RouteRegistry.Listener;

import static org.wardline.server.auth.JsonExchange.body;
import static org.wardline.server.auth.JsonExchange.handle;
import static org.wardline.server.auth.JsonExchange.secret;
import static org.wardline.server.auth.JsonExchange.string;

/**
 * Sign-in, second factors, refresh, step-up and sign-out, on both listeners (on the device listener the
 * session is bound to the client certificate's device).
 */
public final class AuthRoutes implements ApiModule {
    private final SignInService signIn;
    private final AccountEvents events;
    private final String totpIssuer;

    public AuthRoutes(SignInService signIn, AccountEvents events, String totpIssuer) {
        this.signIn = signIn;
        this.events = events;
        this.totpIssuer = totpIssuer;
    }

    @Override
    public void mount(RouteRegistry routes) {
        for (Listener l : Listener.values()) {
            boolean device = l == Listener.DEVICE;
            routes.on(l, HttpMethod.POST, "/v1/auth/login").permission(Permission.PUBLIC).json().handler(ctx -> handle(ctx, () -> {
                JsonObject b = body(ctx);
                return signIn.password(string(b, "username", true), secret(b, "password"), SignInContext.of(ctx, device))
                        .map(SignInResult::toJson);
            }));
            routes.on(l, HttpMethod.POST, "/v1/auth/mfa").permission(Permission.PUBLIC).json().handler(ctx -> handle(ctx, () -> {
                JsonObject b = body(ctx);
                String code = string(b, "code", false);
                String recovery = string(b, "recoveryCode", false);
                if ((code == null) == (recovery == null)) {
                    throw new AccountException(ErrorCode.BAD_REQUEST);
                }
                return signIn.secondFactor(secret(b, "pendingToken"), code, recovery, SignInContext.of(ctx, device))
                        .map(SignInResult::toJson);
            }));
            routes.on(l, HttpMethod.POST, "/v1/auth/totp/enroll").permission(Permission.PUBLIC).json().handler(ctx -> handle(ctx, () -> {
                JsonObject b = body(ctx);
                return signIn.beginEnrollment(secret(b, "pendingToken"), SignInContext.of(ctx, device))
                        .map(s -> totpJson(s, string(b, "label", false)));
            }));
            routes.on(l, HttpMethod.POST, "/v1/auth/totp/confirm").permission(Permission.PUBLIC).json().handler(ctx -> handle(ctx, () -> {
                JsonObject b = body(ctx);
                return signIn.confirmEnrollment(secret(b, "pendingToken"), string(b, "code", true), SignInContext.of(ctx, device))
                        .map(e -> e.tokens().toJson().put("recoveryCodes", codes(e.recoveryCodes())));
            }));
            routes.on(l, HttpMethod.POST, "/v1/auth/refresh").permission(Permission.PUBLIC).json().handler(ctx -> handle(ctx, () ->
                    signIn.refresh(secret(body(ctx), "refreshToken"), SignInContext.of(ctx, device)).map(SignInResult::toJson)));
            routes.on(l, HttpMethod.GET, "/v1/me").permission(Permission.SELF).handler(ctx -> handle(ctx, () -> me(ctx)));
            routes.on(l, HttpMethod.POST, "/v1/auth/step-up").permission(Permission.SELF).json().handler(ctx -> handle(ctx, () -> stepUp(ctx)));
            routes.on(l, HttpMethod.POST, "/v1/auth/recovery-codes").permission(Permission.SELF).stepUp().handler(ctx -> handle(ctx, () -> {
                Principal p = Authorizer.principal(ctx);
                // Written first: the old codes die with the regeneration, so it may not happen unrecorded.
                return events.recordDurably(event(ctx, p, AccountEvent.Type.MFA_ENROLLED, "recovery_codes_regenerated"))
                        .recover(unaudited -> Future.failedFuture(new AccountException(ErrorCode.AUDIT_UNAVAILABLE)))
                        .compose(v -> signIn.factors().newRecoveryCodes(p.userId()))
                        .map(c -> new JsonObject().put("recoveryCodes", codes(c)));
            }));
            routes.on(l, HttpMethod.POST, "/v1/auth/logout").permission(Permission.SELF).handler(ctx -> handle(ctx, () -> {
                Principal p = Authorizer.principal(ctx);
                record(ctx, p, AccountEvent.Type.SIGN_OUT, null);
                return signIn.sessions().revoke(p.session().id(), "sign_out");
            }));
            routes.on(l, HttpMethod.POST, "/v1/auth/logout-all").permission(Permission.SELF).handler(ctx -> handle(ctx, () -> {
                Principal p = Authorizer.principal(ctx);
                record(ctx, p, AccountEvent.Type.SIGN_OUT_EVERYWHERE, null);
                return signIn.sessions().revokeAll(p.userId(), "sign_out_everywhere").map(n -> new JsonObject().put("sessionsEnded", n));
            }));
        }
    }

    private Future<JsonObject> me(RoutingContext ctx) {
        Principal p = Authorizer.principal(ctx);
        JsonArray perms = new JsonArray();
        for (Permission perm : Permission.values()) {
            if (perm != Permission.PUBLIC && p.has(perm)) {
                perms.add(perm.name().toLowerCase(java.util.Locale.ROOT));
            }
        }
        JsonObject out = p.user().toJson().put("permissions", perms).put("trainingCurrent", p.trainingCurrent())
                .put("sessionId", p.session().id().toString())
                .put("teams", new JsonArray(p.teams().stream().map(Object::toString).sorted().toList()));
        if (!p.trainingCurrent() && org.wardline.server.rbac.RolePermissions.of(p.effectiveRoles()).stream().anyMatch(Permission::phi)) {
            out.put("notice", ErrorCode.TRAINING_EXPIRED.message()).put("noticeCode", ErrorCode.TRAINING_EXPIRED.code());
        }
        return Future.succeededFuture(out);
    }

    private Future<JsonObject> stepUp(RoutingContext ctx) {
        Principal p = Authorizer.principal(ctx);
        String code = string(body(ctx), "code", true);
        return signIn.factors().verifyTotp(p.userId(), code).compose(ok -> {
            AccountEvent e = AccountEvent.of(AccountEvent.Type.STEP_UP, ok ? AccountEvent.Outcome.SUCCESS : AccountEvent.Outcome.FAILURE)
                    .actor(p.userId(), p.deviceId()).source(SourceAddress.of(ctx), RequestIds.of(ctx)).build();
            if (!ok) {
                events.record(e);
                return Future.failedFuture(new AccountException(ErrorCode.MFA_INVALID));
            }
            return events.recordDurably(e).recover(unaudited -> Future.failedFuture(new AccountException(ErrorCode.AUDIT_UNAVAILABLE)))
                    .compose(v -> signIn.sessions().markSecondFactor(p.session().id())).map(v -> new JsonObject().put("stepUp", true));
        });
    }

    private void record(RoutingContext ctx, Principal p, AccountEvent.Type type, String detail) {
        events.record(event(ctx, p, type, detail));
    }

    private static AccountEvent event(RoutingContext ctx, Principal p, AccountEvent.Type type, String detail) {
        return AccountEvent.of(type, AccountEvent.Outcome.SUCCESS).actor(p.userId(), p.deviceId())
                .source(SourceAddress.of(ctx), RequestIds.of(ctx)).object("session", p.session().id()).detail(detail).build();
    }

    private JsonObject totpJson(Secret<byte[]> secret, String label) {
        return new JsonObject().put("secret", Totp.base32(secret.reveal()))
                .put("otpauthUri", Totp.uri(totpIssuer, label == null ? "account" : label, secret.reveal()))
                .put("digits", Totp.DIGITS).put("period", Totp.STEP_SECONDS).put("algorithm", "SHA1");
    }

    private static JsonArray codes(java.util.List<Secret<String>> codes) {
        JsonArray a = new JsonArray();
        codes.forEach(c -> a.add(c.reveal()));
        return a;
    }
}
