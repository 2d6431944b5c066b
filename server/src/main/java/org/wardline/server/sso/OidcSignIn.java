package org.wardline.server.sso;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.wardline.protocol.ErrorCode;
import org.wardline.server.account.AccountEvent;
import org.wardline.server.account.AccountEvents;
import org.wardline.server.account.AccountException;
import org.wardline.server.account.UserStatus;
import org.wardline.server.account.UserStore;
import org.wardline.server.auth.SignInContext;
import org.wardline.server.auth.SignInResult;
import org.wardline.server.auth.SignInService;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Sign-in with an ID token from a configured OpenID provider: the token is verified (on a worker: JWKS may be
 * fetched), its nonce must be one this server issued and unused, and its (issuer, subject) must be linked to an
 * active account. Then the usual second-factor rules apply, unless the provider's {@code amr} shows MFA.
 */
public final class OidcSignIn {
    private final Vertx vertx;
    private final Map<String, OidcProvider> providers;
    private final OidcNonces nonces;
    private final OidcLinks links;
    private final UserStore users;
    private final SignInService signIn;
    private final AccountEvents events;

    public OidcSignIn(Vertx vertx, List<OidcProvider> providers, OidcNonces nonces, OidcLinks links, UserStore users,
                      SignInService signIn, AccountEvents events) {
        this.vertx = vertx;
        this.providers = providers.stream().collect(Collectors.toUnmodifiableMap(OidcProvider::name, Function.identity()));
        this.nonces = nonces;
        this.links = links;
        this.users = users;
        this.signIn = signIn;
        this.events = events;
    }

    public Future<String> nonce() {
        return nonces.issue();
    }

    public OidcProvider provider(String name) {
        OidcProvider p = providers.get(name);
        if (p == null) {
            throw new AccountException(ErrorCode.NOT_FOUND);
        }
        return p;
    }

    public Future<SignInResult> signIn(String providerName, String idToken, SignInContext from) {
        OidcProvider provider = provider(providerName);
        return vertx.executeBlocking(() -> {
            try {
                return provider.verify(idToken);
            } catch (IOException e) {
                throw new AccountException(ErrorCode.UNAVAILABLE);
            }
        }, false).compose(verified -> {
            if (verified.isEmpty()) {
                return fail(from, "oidc_invalid_token");
            }
            OidcProvider.IdToken token = verified.get();
            return nonces.consume(token.nonce()).compose(fresh -> {
                if (!fresh) {
                    return fail(from, "oidc_nonce_unknown_or_used");
                }
                return links.find(token.issuer(), token.subject()).compose(link -> link.isEmpty() ? fail(from, "oidc_not_linked")
                        : users.byId(link.get()).compose(u -> u.isEmpty() || u.get().status() != UserStatus.ACTIVE
                        ? fail(from, "oidc_account_disabled")
                        : signIn.afterFirstFactor(u.get(), from, "oidc:" + provider.name(), token.provesMfa())));
            });
        });
    }

    private <T> Future<T> fail(SignInContext from, String why) {
        events.record(AccountEvent.of(AccountEvent.Type.SIGN_IN, AccountEvent.Outcome.FAILURE).actor(null, from.deviceId())
                .source(from.sourceIp(), from.requestId()).detail(why).build());
        return Future.failedFuture(new AccountException(ErrorCode.AUTH_FAILED));
    }
}
