package org.wardline.server.auth;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;
import org.wardline.server.ApiModule;
import org.wardline.server.account.AccountAdminRoutes;
import org.wardline.server.account.AccountEventBus;
import org.wardline.server.account.BootstrapRoutes;
import org.wardline.server.account.LoginThrottle;
import org.wardline.server.account.PasswordHasher;
import org.wardline.server.account.PasswordPolicy;
import org.wardline.server.account.SelfServiceRoutes;
import org.wardline.server.account.UserStore;
import org.wardline.server.bootstrap.BootstrapCodes;
import org.wardline.server.config.WardlineConfig;
import org.wardline.server.rbac.AccessGrants;
import org.wardline.server.rbac.AccessRoutes;
import org.wardline.server.rbac.Authorizer;
import org.wardline.server.rbac.BreakGlassStore;
import org.wardline.server.rbac.ElevationStore;
import org.wardline.server.rbac.RouteRegistry;
import org.wardline.server.rbac.TeamStore;
import org.wardline.server.sso.OidcLinks;
import org.wardline.server.sso.OidcNonces;
import org.wardline.server.sso.OidcProvider;
import org.wardline.server.sso.OidcRoutes;
import org.wardline.server.sso.OidcSignIn;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Accounts and access, wired: the stores, sign-in, token keys, the authenticators of both listeners, the
 * authorizer and their HTTP modules. The composition root builds one (blocking: it opens the key file) and
 * asks it for {@link #routes} and {@link #modules}.
 */
public final class AccessControl {
    /** How often open connections are checked for idle sessions (automatic logoff). */
    private static final Duration IDLE_SWEEP = Duration.ofSeconds(15);

    private final UserStore users;
    private final SignInService signIn;
    private final AccessGrants grants;
    private final Authorizer authorizer;
    private final AccountEventBus events;
    private final AccountEventBus alerts;
    private final Clock clock;
    private final List<ApiModule> modules;
    private final AuthKeys keys;
    private final SessionConnections connections;

    private AccessControl(UserStore users, SignInService signIn, AccessGrants grants, Authorizer authorizer,
                          AccountEventBus events, AccountEventBus alerts, Clock clock, List<ApiModule> modules, AuthKeys keys,
                          SessionConnections connections) {
        this.connections = connections;
        this.alerts = alerts;
        this.users = users;
        this.signIn = signIn;
        this.grants = grants;
        this.authorizer = authorizer;
        this.events = events;
        this.clock = clock;
        this.modules = modules;
        this.keys = keys;
    }

    public static AccessControl create(WardlineConfig config, Vertx vertx, Pool pool, UserStore users, AccountEventBus events,
                                       AccountEventBus alerts, Clock clock) {
        WardlineConfig.Auth auth = config.auth();
        AuthKeys keys = AuthKeys.loadOrCreate(config.dataDir().resolve("auth/keys.jwe"), config.keys().passphrase());
        PasswordHasher hasher = new PasswordHasher(vertx, auth.argon2());
        PasswordPolicy policy = PasswordPolicy.load();
        SessionEnds ends = new SessionEnds(vertx);
        SessionStore sessions = new SessionStore(pool, Duration.ofMinutes(auth.idleTimeoutMinutes()),
                Duration.ofHours(auth.refreshTokenHours()), ends);
        SessionConnections connections = new SessionConnections(vertx, sessions, ends, IDLE_SWEEP);
        AccessTokens tokens = new AccessTokens(keys, config.publicUrl().toString(), Duration.ofMinutes(auth.accessTokenMinutes()), clock);
        SecondFactors factors = new SecondFactors(pool, new SecretBox(keys.secretWrappingKey()), clock);
        LoginThrottle throttle = new LoginThrottle(pool, auth.lockoutThreshold(), auth.lockoutAddressThreshold(),
                Duration.ofSeconds(auth.lockoutMaxSeconds()));
        SignInService signIn = new SignInService(users, hasher, throttle, factors, sessions, tokens, events);
        TeamStore teams = new TeamStore(pool);
        OidcLinks links = new OidcLinks(pool);
        OidcSignIn sso = new OidcSignIn(vertx, auth.oidc().stream().map(i -> new OidcProvider(i, Duration.ofSeconds(10))).toList(),
                new OidcNonces(pool), links, users, signIn, events);
        List<ApiModule> modules = List.of(
                new BootstrapRoutes(new BootstrapCodes(pool), users, hasher, policy, tokens, events),
                new AuthRoutes(signIn, events, "Wardline"),
                new AccountAdminRoutes(users, hasher, policy, sessions, teams, new ElevationStore(pool), events),
                new SelfServiceRoutes(users, hasher, policy, sessions, factors, throttle, events),
                new AccessRoutes(teams, new BreakGlassStore(pool, Duration.ofMinutes(auth.breakGlassMinutes())),
                        new ElevationStore(pool), events, alerts::record),
                new OidcRoutes(sso, links, events),
                new org.wardline.server.auth.webauthn.PasskeyRoutes(new org.wardline.server.auth.webauthn.Passkeys(vertx,
                        new org.wardline.server.auth.webauthn.PasskeyStore(pool),
                        new org.wardline.server.auth.webauthn.WebAuthnChallenges(pool, Duration.ofMinutes(2), clock),
                        org.wardline.server.auth.webauthn.RelyingPartyOrigin.of(config.publicUrl())), signIn, events));
        return new AccessControl(users, signIn, new AccessGrants(pool),
                new Authorizer(events, Duration.ofMinutes(auth.stepUpMinutes()), clock), events, alerts, clock, modules, keys,
                connections);
    }

    /** The registry every route is declared through; the listeners' existing routes (health) are adopted as public. */
    public RouteRegistry routes(Router publicRouter, Router deviceRouter) {
        RouteRegistry registry = new RouteRegistry(publicRouter, deviceRouter, authenticator(false), authenticator(true), authorizer);
        registry.adoptInfrastructure(RouteRegistry.Listener.PUBLIC);
        registry.adoptInfrastructure(RouteRegistry.Listener.DEVICE);
        return registry;
    }

    private Authenticator authenticator(boolean device) {
        // Both listeners hold messaging sockets: the device listener's, and browser devices' on the public one.
        return new Authenticator(signIn.tokens(), signIn.sessions(), users, grants, events, clock, device, connections);
    }

    /** The messaging connections held to their sessions (closed when a session ends). */
    public SessionConnections sessionConnections() {
        return connections;
    }

    public List<ApiModule> modules() {
        return modules;
    }

    public SignInService signIn() {
        return signIn;
    }

    public UserStore users() {
        return users;
    }

    /** Where account events go: connect the audit log and alert rules here. */
    public AccountEventBus events() {
        return events;
    }

    /** Alerts for the security officer at once (break-glass): connect e-mail and webhook delivery here. */
    public AccountEventBus alerts() {
        return alerts;
    }

    public AuthKeys keys() {
        return keys;
    }
}
