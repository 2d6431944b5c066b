package org.wardline.server.auth;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.wardline.protocol.ErrorCode;
import org.wardline.server.account.AccountEvent;
import org.wardline.server.account.AccountEvents;
import org.wardline.server.account.User;
import org.wardline.server.account.UserStatus;
import org.wardline.server.account.UserStore;
import org.wardline.server.http.RequestIds;
import org.wardline.server.http.WardlineHttpException;
import org.wardline.server.rbac.AccessGrants;
import org.wardline.server.rbac.Authorizer;
import org.wardline.server.rbac.Principal;

import java.time.Clock;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * Establishes who is calling from a bearer access token: signature and claims ({@link AccessTokens}), a live
 * session (not signed out, revoked, idle or expired; the user not disabled) and, on the device listener, a
 * client certificate issued to the same user and device the session is bound to. Puts a {@link Principal}
 * on the context; every refusal is recorded.
 */
public final class Authenticator implements Handler<RoutingContext> {
    private final AccessTokens tokens;
    private final SessionStore sessions;
    private final UserStore users;
    private final AccessGrants grants;
    private final AccountEvents events;
    private final Clock clock;
    private final boolean deviceListener;
    private final SessionConnections connections;

    public Authenticator(AccessTokens tokens, SessionStore sessions, UserStore users, AccessGrants grants,
                         AccountEvents events, Clock clock, boolean deviceListener) {
        this(tokens, sessions, users, grants, events, clock, deviceListener, null);
    }

    /** With {@code connections}, a WebSocket opened after this check can be held to its session ({@link SessionConnections#hold}). */
    public Authenticator(AccessTokens tokens, SessionStore sessions, UserStore users, AccessGrants grants,
                         AccountEvents events, Clock clock, boolean deviceListener, SessionConnections connections) {
        this.connections = connections;
        this.tokens = tokens;
        this.sessions = sessions;
        this.users = users;
        this.grants = grants;
        this.events = events;
        this.clock = clock;
        this.deviceListener = deviceListener;
    }

    static Optional<String> bearer(RoutingContext ctx) {
        String h = ctx.request().getHeader("Authorization");
        if (h == null || !(h.regionMatches(true, 0, "Bearer ", 0, 7) || dpopScheme(h))) {
            return Optional.empty();
        }
        return Optional.of(h.substring(h.indexOf(' ') + 1).trim());
    }

    private static boolean dpopScheme(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, "DPoP ", 0, 5);
    }

    @Override
    public void handle(RoutingContext ctx) {
        Optional<String> token = bearer(ctx);
        if (token.isEmpty()) {
            fail(ctx, new WardlineHttpException(ErrorCode.UNAUTHENTICATED));
            return;
        }
        Optional<TokenClaims> verified = tokens.verifyAccess(token.get());
        if (verified.isEmpty()) {
            reject(ctx, null, ErrorCode.TOKEN_INVALID, "invalid_token");
            return;
        }
        TokenClaims claims = verified.get();
        if (deviceListener) {
            Optional<DeviceIdentity> cert = DeviceIdentity.of(ctx);
            if (cert.isEmpty() || !cert.get().userId().equals(claims.userId()) || !cert.get().deviceId().equals(claims.deviceId())) {
                reject(ctx, claims, ErrorCode.TOKEN_INVALID, "device_mismatch");
                return;
            }
            if (claims.dpopJkt() != null) {
                reject(ctx, claims, ErrorCode.TOKEN_INVALID, "browser_token_on_device_listener");
                return;
            }
        } else {
            ErrorCode refused = browserDeviceBinding(ctx, claims);
            if (refused != null) {
                reject(ctx, claims, refused, refused == ErrorCode.DPOP_REQUIRED ? "dpop_required" : "dpop_binding_mismatch");
                return;
            }
        }
        sessions.check(claims.sessionId()).compose(state -> switch (state.state()) {
            case IDLE -> {
                events.record(event(ctx, claims, AccountEvent.Type.SESSION_IDLE_TIMEOUT, AccountEvent.Outcome.SUCCESS)
                        .object("session", claims.sessionId()).build());
                yield Future.<Principal>failedFuture(new WardlineHttpException(ErrorCode.SESSION_IDLE));
            }
            case REVOKED -> {
                events.record(event(ctx, claims, AccountEvent.Type.TOKEN_REJECTED, AccountEvent.Outcome.DENIED)
                        .detail("session_ended").build());
                yield Future.<Principal>failedFuture(new WardlineHttpException(ErrorCode.TOKEN_INVALID));
            }
            case ACTIVE -> {
                Session s = state.session();
                if (!s.userId().equals(claims.userId()) || !Objects.equals(s.deviceId(), claims.deviceId())) {
                    yield Future.<Principal>failedFuture(new WardlineHttpException(ErrorCode.TOKEN_INVALID));
                }
                yield users.byId(s.userId()).compose(u -> {
                    if (u.isEmpty() || u.get().status() != UserStatus.ACTIVE) {
                        return Future.failedFuture(new WardlineHttpException(ErrorCode.TOKEN_INVALID));
                    }
                    User user = u.get();
                    return grants.of(user.id()).map(g -> new Principal(user, s, g.elevatedRoles(), g.teams(),
                            g.breakGlassTeams(), LocalDate.now(clock)));
                });
            }
        }).onSuccess(p -> {
            ctx.put(Authorizer.PRINCIPAL, p);
            if (connections != null) {
                ctx.put(SessionConnections.KEY, connections);
            }
            ctx.next();
        }).onFailure(e -> fail(ctx, e));
    }

    /**
     * On the public listener a token naming a device must be a browser device's DPoP-bound token, presented as
     * {@code Authorization: DPoP} with a proof from that very key; a token that is not bound is refused with a proof.
     * Null when the request may go on.
     */
    private static ErrorCode browserDeviceBinding(RoutingContext ctx, TokenClaims claims) {
        org.wardline.server.auth.dpop.BrowserDevice browser = org.wardline.server.auth.dpop.BrowserDevice.of(ctx);
        if (claims.dpopJkt() == null) {
            return claims.deviceId() != null || browser != null ? ErrorCode.TOKEN_INVALID : null;
        }
        if (!dpopScheme(ctx.request().getHeader("Authorization")) || browser == null) {
            return ErrorCode.DPOP_REQUIRED;
        }
        boolean same = browser.jkt().equals(claims.dpopJkt()) && browser.identity().deviceId().equals(claims.deviceId())
                && browser.identity().userId().equals(claims.userId());
        return same ? null : ErrorCode.DPOP_INVALID;
    }

    private void reject(RoutingContext ctx, TokenClaims claims, ErrorCode code, String why) {
        events.record(event(ctx, claims, AccountEvent.Type.TOKEN_REJECTED, AccountEvent.Outcome.DENIED).detail(why).build());
        fail(ctx, new WardlineHttpException(code));
    }

    /** Refuses the request and lets an unread body (an upload the device filter paused) drain. */
    private static void fail(RoutingContext ctx, Throwable failure) {
        if (!ctx.request().isEnded()) {
            ctx.request().resume();
        }
        ctx.fail(failure);
    }

    private static AccountEvent.Builder event(RoutingContext ctx, TokenClaims claims, AccountEvent.Type type, AccountEvent.Outcome o) {
        return AccountEvent.of(type, o).actor(claims == null ? null : claims.userId(), claims == null ? null : claims.deviceId())
                .source(SourceAddress.of(ctx), RequestIds.of(ctx));
    }
}
