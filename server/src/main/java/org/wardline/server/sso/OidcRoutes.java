package org.wardline.server.sso;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.wardline.server.ApiModule;
import org.wardline.server.account.AccountEvent;
import org.wardline.server.account.AccountEvents;
import org.wardline.server.auth.SignInContext;
import org.wardline.server.auth.SignInResult;
import org.wardline.server.auth.SourceAddress;
import org.wardline.server.http.RequestIds;
import org.wardline.server.rbac.Authorizer;
import org.wardline.server.rbac.Permission;
import org.wardline.server.rbac.Principal;
import org.wardline.server.rbac.RouteRegistry;

import java.util.UUID;

import static org.wardline.server.auth.JsonExchange.body;
import static org.wardline.server.auth.JsonExchange.handle;
import static org.wardline.server.auth.JsonExchange.string;
import static org.wardline.server.auth.JsonExchange.uuid;

/**
 * {@code POST /v1/auth/oidc/nonce} → a nonce to put in the authorization request; {@code POST /v1/auth/oidc/login}
 * with the provider's name and the ID token → the usual sign-in answer; and the admin operation that links an
 * account to an (issuer, subject).
 */
public final class OidcRoutes implements ApiModule {
    private final OidcSignIn sso;
    private final OidcLinks links;
    private final AccountEvents events;

    public OidcRoutes(OidcSignIn sso, OidcLinks links, AccountEvents events) {
        this.sso = sso;
        this.links = links;
        this.events = events;
    }

    @Override
    public void mount(RouteRegistry routes) {
        routes.on(RouteRegistry.Listener.PUBLIC, HttpMethod.POST, "/v1/auth/oidc/nonce").permission(Permission.PUBLIC)
                .handler(ctx -> handle(ctx, () -> sso.nonce().map(n -> new JsonObject().put("nonce", n))));
        routes.on(RouteRegistry.Listener.PUBLIC, HttpMethod.POST, "/v1/auth/oidc/login").permission(Permission.PUBLIC).json()
                .handler(ctx -> handle(ctx, () -> {
                    JsonObject b = body(ctx);
                    return sso.signIn(string(b, "provider", true), string(b, "idToken", true), SignInContext.of(ctx, false))
                            .map(SignInResult::toJson);
                }));
        for (RouteRegistry.Listener l : RouteRegistry.Listener.values()) {
            routes.on(l, HttpMethod.POST, "/v1/admin/users/:userId/oidc-links").permission(Permission.USER_MANAGE).stepUp().json()
                    .handler(ctx -> handle(ctx, () -> {
                        Principal p = Authorizer.principal(ctx);
                        JsonObject b = body(ctx);
                        UUID user = uuid(ctx.pathParam("userId"));
                        OidcProvider provider = sso.provider(string(b, "provider", true));
                        String subject = string(b, "subject", true);
                        return links.link(provider.issuer(), subject, user).map(v -> {
                            events.record(AccountEvent.of(AccountEvent.Type.OIDC_LINKED, AccountEvent.Outcome.SUCCESS)
                                    .actor(p.userId(), p.deviceId()).source(SourceAddress.of(ctx), RequestIds.of(ctx))
                                    .object("user", user).detail("provider:" + provider.name()).build());
                            return new JsonObject().put("userId", user.toString()).put("provider", provider.name());
                        });
                    }));
        }
    }
}
