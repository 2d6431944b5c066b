package org.wardline.server.auth;

import io.vertx.core.Future;
import org.wardline.protocol.ErrorCode;
import org.wardline.protocol.Secret;
import org.wardline.server.account.AccountEvent;
import org.wardline.server.account.AccountEvents;
import org.wardline.server.account.AccountException;
import org.wardline.server.account.LoginThrottle;
import org.wardline.server.account.PasswordHasher;
import org.wardline.server.account.User;
import org.wardline.server.account.UserStatus;
import org.wardline.server.account.UserStore;
import org.wardline.server.rbac.RolePermissions;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The sign-in steps: password (with back-off per name and per address, and the same answer and cost whether
 * or not the account exists), then a TOTP or recovery code, or TOTP enrolment when MFA is mandatory and not
 * yet set up; then a session with an access token and a rotating refresh token.
 */
public final class SignInService {
    static final String MFA = "mfa";
    static final String ENROLL = "enroll";

    private final UserStore users;
    private final PasswordHasher hasher;
    private final LoginThrottle throttle;
    private final SecondFactors factors;
    private final SessionStore sessions;
    private final AccessTokens tokens;
    private final AccountEvents events;

    public SignInService(UserStore users, PasswordHasher hasher, LoginThrottle throttle, SecondFactors factors,
                         SessionStore sessions, AccessTokens tokens, AccountEvents events) {
        this.users = users;
        this.hasher = hasher;
        this.throttle = throttle;
        this.factors = factors;
        this.sessions = sessions;
        this.tokens = tokens;
        this.events = events;
    }

    public AccessTokens tokens() {
        return tokens;
    }

    public SessionStore sessions() {
        return sessions;
    }

    public SecondFactors factors() {
        return factors;
    }

    public Future<SignInResult> password(String username, Secret<String> password, SignInContext from) {
        if (username == null || username.isBlank() || username.length() > 256 || password == null
                || password.reveal().length() > 1024) {
            return Future.failedFuture(new AccountException(ErrorCode.BAD_REQUEST));
        }
        List<String> keys = List.of(LoginThrottle.accountKey(username), LoginThrottle.addressKey(from.sourceIp()));
        return throttle.waitFor(keys).compose(wait -> {
            if (!wait.isZero() && !wait.isNegative()) {
                events.record(event(AccountEvent.Type.SIGN_IN, AccountEvent.Outcome.DENIED, null, from).detail("throttled").build());
                return Future.failedFuture(new AccountException(ErrorCode.AUTH_LOCKED));
            }
            return users.credentials(username).compose(found -> {
                String hash = found.map(UserStore.Credentials::passwordHash).orElse(null);
                return hasher.verify(password, hash).compose(ok -> {
                    User user = found.map(UserStore.Credentials::user).orElse(null);
                    boolean allowed = ok && user != null && user.status() == UserStatus.ACTIVE
                            && (from.device() == null || from.device().userId().equals(user.id()));
                    if (!allowed) {
                        events.record(event(AccountEvent.Type.SIGN_IN, AccountEvent.Outcome.FAILURE,
                                user == null ? null : user.id(), from).detail(user == null ? "unknown_account"
                                : !ok ? "bad_password" : user.status() != UserStatus.ACTIVE ? "disabled" : "device_mismatch").build());
                        return throttle.recordFailure(keys)
                                .compose(v -> Future.failedFuture(new AccountException(ErrorCode.AUTH_FAILED)));
                    }
                    Future<Void> rehash = hasher.needsRehash(hash)
                            ? hasher.hash(password).compose(h -> users.setPasswordHash(user.id(), h)).mapEmpty()
                            : Future.succeededFuture();
                    return rehash.compose(v -> throttle.clear(keys.get(0))).compose(v -> afterFirstFactor(user, from, "password", false));
                });
            });
        });
    }

    /**
     * After a first factor (password, or an ID token from an OpenID provider): a session when no second factor
     * is needed or the provider vouches for one ({@code secondFactorShown}), else the TOTP or enrolment step.
     * A sign-in from a device of another user is refused here, whatever the first factor was.
     */
    public Future<SignInResult> afterFirstFactor(User user, SignInContext from, String method, boolean secondFactorShown) {
        if (from.device() != null && !from.device().userId().equals(user.id())) {
            events.record(event(AccountEvent.Type.SIGN_IN, AccountEvent.Outcome.FAILURE, user.id(), from).detail("device_mismatch").build());
            return Future.failedFuture(new AccountException(ErrorCode.AUTH_FAILED));
        }
        if (secondFactorShown) {
            return audited(event(AccountEvent.Type.SIGN_IN, AccountEvent.Outcome.SUCCESS, user.id(), from).detail(method).build())
                    .compose(v -> open(user.id(), from, method, true));
        }
        return factors.hasSecondFactor(user.id()).compose(hasFactor -> {
            if (hasFactor) {
                return Future.succeededFuture(pending(user.id(), MFA, from));
            }
            if (RolePermissions.requiresMfa(user.roles())) {
                return Future.succeededFuture(pending(user.id(), ENROLL, from));
            }
            return audited(event(AccountEvent.Type.SIGN_IN, AccountEvent.Outcome.SUCCESS, user.id(), from).detail(method).build())
                    .compose(v -> open(user.id(), from, method, false));
        });
    }

    private SignInResult pending(UUID userId, String stage, SignInContext from) {
        return new SignInResult.Pending(stage, Secret.of(tokens.issuePending(userId, stage, from.deviceId())));
    }

    /** The second step: a TOTP code or, failing that, a recovery code. */
    public Future<SignInResult> secondFactor(Secret<String> pendingToken, String code, String recoveryCode, SignInContext from) {
        TokenClaims claims = pendingClaims(pendingToken, MFA, from);
        if (claims == null) {
            return Future.failedFuture(new AccountException(ErrorCode.TOKEN_INVALID));
        }
        List<String> keys = List.of("mfa:" + claims.userId());
        return throttle.waitFor(keys).compose(wait -> {
            if (!wait.isZero() && !wait.isNegative()) {
                return Future.failedFuture(new AccountException(ErrorCode.AUTH_LOCKED));
            }
            Future<Boolean> check = code != null ? factors.verifyTotp(claims.userId(), code)
                    : factors.useRecoveryCode(claims.userId(), recoveryCode);
            return check.compose(ok -> {
                if (!ok) {
                    events.record(event(AccountEvent.Type.SIGN_IN_MFA, AccountEvent.Outcome.FAILURE, claims.userId(), from)
                            .detail(code != null ? "bad_or_replayed_totp" : "bad_recovery_code").build());
                    return throttle.recordFailure(keys).compose(v -> Future.failedFuture(new AccountException(ErrorCode.MFA_INVALID)));
                }
                Future<Void> recoveryUsed = code != null ? Future.succeededFuture() : audited(event(
                        AccountEvent.Type.MFA_RECOVERY_CODE_USED, AccountEvent.Outcome.SUCCESS, claims.userId(), from).build());
                return recoveryUsed.compose(v -> audited(event(AccountEvent.Type.SIGN_IN, AccountEvent.Outcome.SUCCESS, claims.userId(), from)
                                .detail(code != null ? "password+totp" : "password+recovery_code").build()))
                        .compose(v -> throttle.clear(keys.get(0))).compose(v -> activeUser(claims.userId()))
                        .compose(u -> open(u.id(), from, code != null ? "password+totp" : "password+recovery", true));
            });
        });
    }

    /**
     * The second step with a factor other than a code (a passkey): {@code verifier} checks it for the account the
     * pending token names and fails with a {@link org.wardline.server.auth.webauthn.PasskeyRefusal} (or another
     * refusal) when it does not hold; the sign-in back-off and audit are the same as for codes.
     */
    public Future<SignInResult> secondFactorWith(Secret<String> pendingToken, String method, SignInContext from,
                                                 java.util.function.Function<UUID, Future<?>> verifier) {
        TokenClaims claims = pendingClaims(pendingToken, MFA, from);
        if (claims == null) {
            return Future.failedFuture(new AccountException(ErrorCode.TOKEN_INVALID));
        }
        List<String> keys = List.of("mfa:" + claims.userId());
        return throttle.waitFor(keys).compose(wait -> {
            if (!wait.isZero() && !wait.isNegative()) {
                return Future.failedFuture(new AccountException(ErrorCode.AUTH_LOCKED));
            }
            return verifier.apply(claims.userId()).transform(done -> {
                if (done.failed()) {
                    String reason = done.cause() instanceof org.wardline.server.auth.webauthn.PasskeyRefusal r ? method + ":" + r.reason()
                            : method + ":refused";
                    events.record(event(AccountEvent.Type.SIGN_IN_MFA, AccountEvent.Outcome.FAILURE, claims.userId(), from)
                            .detail(reason).build());
                    return throttle.recordFailure(keys).compose(v -> Future.<SignInResult>failedFuture(done.cause()));
                }
                return audited(event(AccountEvent.Type.SIGN_IN, AccountEvent.Outcome.SUCCESS, claims.userId(), from)
                                .detail("password+" + method).build())
                        .compose(v -> throttle.clear(keys.get(0))).compose(v -> activeUser(claims.userId()))
                        .compose(u -> open(u.id(), from, "password+" + method, true));
            });
        });
    }

    /** The account a pending second-step token names, or a refusal (for the options step of a passkey). */
    public Future<UUID> pendingUser(Secret<String> pendingToken, SignInContext from) {
        TokenClaims claims = pendingClaims(pendingToken, MFA, from);
        return claims == null ? Future.failedFuture(new AccountException(ErrorCode.TOKEN_INVALID))
                : Future.succeededFuture(claims.userId());
    }

    /** Enrolment, step one: a new TOTP secret for the account the pending token names. */
    public Future<Secret<byte[]>> beginEnrollment(Secret<String> pendingToken, SignInContext from) {
        TokenClaims claims = pendingClaims(pendingToken, ENROLL, from);
        if (claims == null) {
            return Future.failedFuture(new AccountException(ErrorCode.TOKEN_INVALID));
        }
        return factors.beginTotp(claims.userId());
    }

    /** Enrolment, step two: the first code confirms it; the answer holds the recovery codes (shown once) and a session. */
    public Future<Enrolled> confirmEnrollment(Secret<String> pendingToken, String code, SignInContext from) {
        TokenClaims claims = pendingClaims(pendingToken, ENROLL, from);
        if (claims == null) {
            return Future.failedFuture(new AccountException(ErrorCode.TOKEN_INVALID));
        }
        return factors.confirmTotp(claims.userId(), code).compose(codes -> {
            if (codes.isEmpty()) {
                events.record(event(AccountEvent.Type.MFA_ENROLLED, AccountEvent.Outcome.FAILURE, claims.userId(), from).build());
                return Future.failedFuture(new AccountException(ErrorCode.MFA_INVALID));
            }
            return audited(event(AccountEvent.Type.MFA_ENROLLED, AccountEvent.Outcome.SUCCESS, claims.userId(), from)
                            .object("second_factor", "totp").build())
                    .compose(v -> activeUser(claims.userId())).compose(u -> open(u.id(), from, "password+totp", true))
                    .map(r -> new Enrolled((SignInResult.Tokens) r, codes));
        });
    }

    /** A confirmed enrolment: the session and the recovery codes to show once. */
    public record Enrolled(SignInResult.Tokens tokens, List<Secret<String>> recoveryCodes) {
    }

    /** Rotates a refresh token; a reused one ends its whole session. */
    public Future<SignInResult> refresh(Secret<String> refreshToken, SignInContext from) {
        return sessions.refresh(refreshToken).compose(outcome -> switch (outcome) {
            case SessionStore.RefreshOutcome.Rotated r -> {
                var s = r.issued().session();
                if (!Objects.equals(s.deviceId(), from.deviceId())
                        || (from.device() != null && !from.device().userId().equals(s.userId()))) {
                    events.record(event(AccountEvent.Type.REFRESH, AccountEvent.Outcome.DENIED, s.userId(), from)
                            .detail("device_mismatch").object("session", s.id()).build());
                    yield sessions.revoke(s.id(), "refresh_device_mismatch")
                            .compose(v -> Future.<SignInResult>failedFuture(new AccountException(ErrorCode.TOKEN_INVALID)));
                }
                yield audited(event(AccountEvent.Type.REFRESH, AccountEvent.Outcome.SUCCESS, s.userId(), from).object("session", s.id()).build())
                        .recover(unaudited -> sessions.revoke(s.id(), "refresh_unaudited").transform(v -> Future.failedFuture(unaudited)))
                        .map(v -> (SignInResult) tokensFor(r.issued(), from.dpopJkt()));
            }
            case SessionStore.RefreshOutcome.Reused r -> {
                events.record(event(AccountEvent.Type.REFRESH_REUSE, AccountEvent.Outcome.DENIED, r.userId(), from)
                        .object("session", r.sessionId()).detail("session_revoked").build());
                yield Future.<SignInResult>failedFuture(new AccountException(ErrorCode.TOKEN_INVALID));
            }
            case SessionStore.RefreshOutcome.Invalid r -> {
                events.record(event(AccountEvent.Type.REFRESH, AccountEvent.Outcome.DENIED, null, from).detail(r.reason()).build());
                yield Future.<SignInResult>failedFuture(new AccountException(
                        "idle".equals(r.reason()) ? ErrorCode.SESSION_IDLE : ErrorCode.TOKEN_INVALID));
            }
        });
    }

    /**
     * For device enrolment (the device module): after a signed-in user enrols a device on the public listener,
     * a session bound to that device, so the device's first mutual-TLS request needs no second sign-in. The
     * caller's session must have shown a second factor within {@code window} (step-up); the new session
     * counts as having shown it then.
     */
    public Future<SignInResult.Tokens> openDeviceSession(org.wardline.server.rbac.Principal enrolledBy, UUID deviceId,
                                                         java.time.Duration window, String sourceIp, String requestId) {
        if (!enrolledBy.secondFactorSince(java.time.Instant.now().minus(window))) {
            return Future.failedFuture(new AccountException(ErrorCode.STEP_UP_REQUIRED));
        }
        SignInContext from = new SignInContext(sourceIp, requestId, new DeviceIdentity(enrolledBy.userId(), deviceId));
        return audited(event(AccountEvent.Type.SIGN_IN, AccountEvent.Outcome.SUCCESS, enrolledBy.userId(), from)
                .detail("device_enrollment").object("device", deviceId).build()).compose(v -> sessions.open(enrolledBy.userId(), deviceId, "device_enrollment", true)).map(i -> tokensFor(i, null));
    }

    /**
     * Writes the entry of a step that grants access; fails with {@code audit.unavailable} when it is not in the trail,
     * so no session (or rotated token) is handed out unaudited.
     */
    private Future<Void> audited(AccountEvent e) {
        return events.recordDurably(e).recover(unaudited -> Future.failedFuture(new AccountException(ErrorCode.AUDIT_UNAVAILABLE)));
    }

    private Future<SignInResult> open(UUID userId, SignInContext from, String method, boolean mfaShown) {
        return sessions.open(userId, from.deviceId(), method, mfaShown).map(i -> tokensFor(i, from.dpopJkt()));
    }

    private SignInResult.Tokens tokensFor(SessionStore.Issued issued, String dpopJkt) {
        var s = issued.session();
        return new SignInResult.Tokens(Secret.of(tokens.issueAccess(s.userId(), s.id(), s.deviceId(), dpopJkt)),
                issued.refreshToken(), tokens.lifetime().toSeconds(), s.id(), dpopJkt != null);
    }

    private Future<User> activeUser(UUID id) {
        return users.byId(id).compose(u -> u.isPresent() && u.get().status() == UserStatus.ACTIVE
                ? Future.succeededFuture(u.get()) : Future.failedFuture(new AccountException(ErrorCode.AUTH_FAILED)));
    }

    private TokenClaims pendingClaims(Secret<String> pendingToken, String stage, SignInContext from) {
        if (pendingToken == null) {
            return null;
        }
        TokenClaims c = tokens.verifyPending(pendingToken.reveal(), stage).orElse(null);
        if (c == null || !Objects.equals(c.deviceId(), from.deviceId())) {
            events.record(event(AccountEvent.Type.TOKEN_REJECTED, AccountEvent.Outcome.DENIED, null, from).detail("invalid_pending_token").build());
            return null;
        }
        return c;
    }

    private static AccountEvent.Builder event(AccountEvent.Type type, AccountEvent.Outcome outcome, UUID userId, SignInContext from) {
        return AccountEvent.of(type, outcome).actor(userId, from.deviceId()).source(from.sourceIp(), from.requestId());
    }
}
