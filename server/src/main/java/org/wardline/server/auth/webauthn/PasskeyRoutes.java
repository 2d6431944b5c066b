package org.wardline.server.auth.webauthn;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.wardline.protocol.ErrorCode;
import org.wardline.server.ApiModule;
import org.wardline.server.account.AccountEvent;
import org.wardline.server.account.AccountEvents;
import org.wardline.server.account.AccountException;
import org.wardline.server.auth.SignInContext;
import org.wardline.server.auth.SignInResult;
import org.wardline.server.auth.SignInService;
import org.wardline.server.auth.SourceAddress;
import org.wardline.server.auth.webauthn.WebAuthnChallenges.Purpose;
import org.wardline.server.http.RequestIds;
import org.wardline.server.rbac.Authorizer;
import org.wardline.server.rbac.Permission;
import org.wardline.server.rbac.Principal;
import org.wardline.server.rbac.RolePermissions;
import org.wardline.server.rbac.RouteRegistry;
import org.wardline.server.rbac.RouteRegistry.Listener;

import java.util.UUID;

import static org.wardline.server.auth.JsonExchange.body;
import static org.wardline.server.auth.JsonExchange.handle;
import static org.wardline.server.auth.JsonExchange.secret;
import static org.wardline.server.auth.JsonExchange.string;
import static org.wardline.server.auth.JsonExchange.uuid;

/**
 * Passkeys for browsers, on the public listener: the sign-in second step and step-up with a passkey, and a
 * signed-in user's own passkeys (register after a fresh second factor, list, remove but never the last factor
 * of an account that must have MFA). Every refusal is recorded with its reason.
 */
public final class PasskeyRoutes implements ApiModule {
    static final String METHOD = "webauthn";
    static final String PAGE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; frame-ancestors 'none'; "
            + "base-uri 'none'; form-action 'self'";

    private final Passkeys passkeys;
    private final SignInService signIn;
    private final AccountEvents events;
    private final io.vertx.core.buffer.Buffer page = asset("sign-in.html");
    private final io.vertx.core.buffer.Buffer script = asset("sign-in.js");
    private final io.vertx.core.buffer.Buffer style = asset("sign-in.css");

    public PasskeyRoutes(Passkeys passkeys, SignInService signIn, AccountEvents events) {
        this.passkeys = passkeys;
        this.signIn = signIn;
        this.events = events;
    }

    @Override
    public void mount(RouteRegistry routes) {
        Listener l = Listener.PUBLIC;
        routes.on(l, HttpMethod.GET, "/sign-in").permission(Permission.PUBLIC)
                .handler(ctx -> send(ctx, "text/html; charset=utf-8", page));
        routes.on(l, HttpMethod.GET, "/sign-in-assets/sign-in.css").permission(Permission.PUBLIC)
                .handler(ctx -> send(ctx, "text/css; charset=utf-8", style));
        routes.on(l, HttpMethod.GET, "/sign-in-assets/sign-in.js").permission(Permission.PUBLIC)
                .handler(ctx -> send(ctx, "text/javascript; charset=utf-8", script));
        routes.on(l, HttpMethod.POST, "/v1/auth/webauthn/sign-in/options").permission(Permission.PUBLIC).json()
                .handler(ctx -> handle(ctx, () -> signIn.pendingUser(secret(body(ctx), "pendingToken"), SignInContext.of(ctx, false))
                        .compose(user -> passkeys.assertionOptions(user, Purpose.SIGN_IN))));
        routes.on(l, HttpMethod.POST, "/v1/auth/webauthn/sign-in/verify").permission(Permission.PUBLIC).json()
                .handler(ctx -> handle(ctx, () -> {
                    JsonObject b = body(ctx);
                    UUID challenge = uuid(string(b, "challengeId", true));
                    JsonObject credential = credential(b);
                    return signIn.secondFactorWith(secret(b, "pendingToken"), METHOD, SignInContext.of(ctx, false),
                            user -> passkeys.verifyAssertion(user, Purpose.SIGN_IN, challenge, credential)).map(SignInResult::toJson);
                }));
        routes.on(l, HttpMethod.POST, "/v1/auth/webauthn/step-up/options").permission(Permission.SELF)
                .handler(ctx -> handle(ctx, () -> passkeys.assertionOptions(Authorizer.principal(ctx).userId(), Purpose.STEP_UP)));
        routes.on(l, HttpMethod.POST, "/v1/auth/webauthn/step-up/verify").permission(Permission.SELF).json()
                .handler(ctx -> handle(ctx, () -> stepUp(ctx)));
        routes.on(l, HttpMethod.POST, "/v1/me/passkeys/options").permission(Permission.SELF).stepUp()
                .handler(ctx -> handle(ctx, () -> passkeys.registrationOptions(Authorizer.principal(ctx).user())));
        routes.on(l, HttpMethod.POST, "/v1/me/passkeys").permission(Permission.SELF).stepUp().json()
                .handler(ctx -> handle(ctx, () -> register(ctx)));
        routes.on(l, HttpMethod.GET, "/v1/me/passkeys").permission(Permission.SELF)
                .handler(ctx -> handle(ctx, () -> passkeys.store().list(Authorizer.principal(ctx).userId())
                        .map(list -> new JsonObject().put("items", new JsonArray(list.stream().map(PasskeyStore.Passkey::toJson).toList())))));
        routes.on(l, HttpMethod.DELETE, "/v1/me/passkeys/:id").permission(Permission.SELF).stepUp()
                .handler(ctx -> handle(ctx, () -> remove(ctx)));
    }

    private Future<JsonObject> stepUp(RoutingContext ctx) {
        Principal p = Authorizer.principal(ctx);
        JsonObject b = body(ctx);
        UUID challenge = uuid(string(b, "challengeId", true));
        JsonObject credential = credential(b);
        return passkeys.verifyAssertion(p.userId(), Purpose.STEP_UP, challenge, credential).transform(done -> {
            if (done.failed()) {
                record(ctx, p, AccountEvent.Type.STEP_UP, AccountEvent.Outcome.FAILURE, null, reason(done.cause()));
                return Future.failedFuture(done.cause());
            }
            return events.recordDurably(event(ctx, p, AccountEvent.Type.STEP_UP, AccountEvent.Outcome.SUCCESS, done.result(), METHOD))
                    .recover(unaudited -> Future.failedFuture(new AccountException(ErrorCode.AUDIT_UNAVAILABLE)))
                    .compose(v -> signIn.sessions().markSecondFactor(p.session().id())).map(v -> new JsonObject().put("stepUp", true));
        });
    }

    private Future<JsonObject> register(RoutingContext ctx) {
        Principal p = Authorizer.principal(ctx);
        JsonObject b = body(ctx);
        UUID challenge = uuid(string(b, "challengeId", true));
        JsonObject credential = credential(b);
        return passkeys.register(p.user(), challenge, credential).transform(done -> {
            if (done.failed()) {
                record(ctx, p, AccountEvent.Type.MFA_ENROLLED, AccountEvent.Outcome.FAILURE, null, reason(done.cause()));
                return Future.failedFuture(done.cause());
            }
            UUID passkey = done.result();
            return events.recordDurably(event(ctx, p, AccountEvent.Type.MFA_ENROLLED, AccountEvent.Outcome.SUCCESS, passkey, METHOD))
                    .transform(written -> written.succeeded() ? Future.succeededFuture(new JsonObject().put("id", passkey.toString()))
                            : passkeys.store().remove(p.userId(), passkey, false)
                                    .transform(v -> Future.<JsonObject>failedFuture(new AccountException(ErrorCode.AUDIT_UNAVAILABLE))));
        });
    }

    private Future<Void> remove(RoutingContext ctx) {
        Principal p = Authorizer.principal(ctx);
        UUID id = uuid(ctx.pathParam("id"));
        return passkeys.store().remove(p.userId(), id, RolePermissions.requiresMfa(p.user().roles()), removal -> switch (removal) {
            case REMOVED -> events.recordDurably(event(ctx, p, AccountEvent.Type.MFA_REMOVED, AccountEvent.Outcome.SUCCESS, id, METHOD))
                    .recover(unaudited -> Future.failedFuture(new AccountException(ErrorCode.AUDIT_UNAVAILABLE)));
            case LAST_FACTOR, NOT_FOUND -> Future.<Void>succeededFuture();
        }).compose(removal -> switch (removal) {
            case REMOVED -> Future.<Void>succeededFuture();
            case LAST_FACTOR -> {
                record(ctx, p, AccountEvent.Type.MFA_REMOVED, AccountEvent.Outcome.DENIED, id, "last_second_factor");
                yield Future.<Void>failedFuture(new AccountException(ErrorCode.LAST_SECOND_FACTOR));
            }
            case NOT_FOUND -> Future.<Void>failedFuture(new AccountException(ErrorCode.NOT_FOUND));
        });
    }

    private static void send(RoutingContext ctx, String type, io.vertx.core.buffer.Buffer content) {
        ctx.response().putHeader("Content-Type", type).putHeader("Content-Security-Policy", PAGE_CSP).end(content);
    }

    private static io.vertx.core.buffer.Buffer asset(String name) {
        try (java.io.InputStream in = PasskeyRoutes.class.getResourceAsStream("web/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the sign-in page file " + name + " is missing from the classpath");
            }
            return io.vertx.core.buffer.Buffer.buffer(in.readAllBytes());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static JsonObject credential(JsonObject body) {
        if (!(body.getValue("credential") instanceof JsonObject c)) {
            throw new AccountException(ErrorCode.BAD_REQUEST);
        }
        return c;
    }

    private static String reason(Throwable t) {
        return t instanceof PasskeyRefusal r ? METHOD + ":" + r.reason() : METHOD + ":refused";
    }

    private void record(RoutingContext ctx, Principal p, AccountEvent.Type type, AccountEvent.Outcome outcome, UUID passkey, String detail) {
        events.record(event(ctx, p, type, outcome, passkey, detail));
    }

    private static AccountEvent event(RoutingContext ctx, Principal p, AccountEvent.Type type, AccountEvent.Outcome outcome, UUID passkey,
                                      String detail) {
        AccountEvent.Builder e = AccountEvent.of(type, outcome).actor(p.userId(), p.deviceId())
                .source(SourceAddress.of(ctx), RequestIds.of(ctx)).detail(detail);
        if (passkey != null) {
            e.object("passkey", passkey);
        } else {
            e.object("second_factor", METHOD);
        }
        return e.build();
    }
}
