package org.wardline.server.account;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.wardline.protocol.ErrorCode;
import org.wardline.protocol.Secret;
import org.wardline.server.ApiModule;
import org.wardline.server.auth.AccessTokens;
import org.wardline.server.auth.SourceAddress;
import org.wardline.server.bootstrap.BootstrapCodes;
import org.wardline.server.http.RequestIds;
import org.wardline.server.rbac.Permission;
import org.wardline.server.rbac.RouteRegistry;

import java.util.Set;

import static org.wardline.server.auth.JsonExchange.body;
import static org.wardline.server.auth.JsonExchange.handle;
import static org.wardline.server.auth.JsonExchange.secret;
import static org.wardline.server.auth.JsonExchange.string;

/**
 * {@code POST /v1/bootstrap}: the one-time code from the start-up banner, a username and a password create the
 * first administrator. The answer is a pending token for TOTP enrolment ({@code /v1/auth/totp/enroll}, then
 * {@code /confirm}): MFA is mandatory for admins, so the account cannot be used before it has a second factor.
 */
public final class BootstrapRoutes implements ApiModule {
    private final BootstrapCodes codes;
    private final UserStore users;
    private final PasswordHasher hasher;
    private final PasswordPolicy policy;
    private final AccessTokens tokens;
    private final AccountEvents events;

    public BootstrapRoutes(BootstrapCodes codes, UserStore users, PasswordHasher hasher, PasswordPolicy policy,
                           AccessTokens tokens, AccountEvents events) {
        this.codes = codes;
        this.users = users;
        this.hasher = hasher;
        this.policy = policy;
        this.tokens = tokens;
        this.events = events;
    }

    @Override
    public void mount(RouteRegistry routes) {
        routes.on(RouteRegistry.Listener.PUBLIC, HttpMethod.POST, "/v1/bootstrap").permission(Permission.PUBLIC).json()
                .handler(ctx -> handle(ctx, () -> {
                    JsonObject b = body(ctx);
                    Secret<String> code = secret(b, "code");
                    String username = string(b, "username", true).strip();
                    Secret<String> password = secret(b, "password");
                    if (!username.matches("[A-Za-z0-9._@-]{2,64}")) {
                        throw new AccountException(ErrorCode.BAD_REQUEST);
                    }
                    if (policy.refusal(password, username).isPresent()) {
                        throw new AccountException(ErrorCode.PASSWORD_REJECTED);
                    }
                    String ip = SourceAddress.of(ctx);
                    return hasher.hash(password).compose(hash -> codes.redeem(code).compose(ok -> {
                        if (!ok) {
                            events.record(AccountEvent.of(AccountEvent.Type.BOOTSTRAP, AccountEvent.Outcome.FAILURE)
                                    .source(ip, RequestIds.of(ctx)).detail("bad_code").build());
                            return Future.failedFuture(new AccountException(ErrorCode.AUTH_FAILED));
                        }
                        return users.create(new NewUser(username, string(b, "email", false), string(b, "displayName", false),
                                password, null, Set.of(Role.ADMIN)), hash);
                    })).map(u -> {
                        events.record(AccountEvent.of(AccountEvent.Type.BOOTSTRAP, AccountEvent.Outcome.SUCCESS)
                                .actor(u.id(), null).source(ip, RequestIds.of(ctx)).object("user", u.id()).build());
                        return new JsonObject().put("user", u.toJson()).put("status", "mfa_enrollment_required")
                                .put("pendingToken", tokens.issuePending(u.id(), "enroll", null));
                    });
                }));
    }
}
