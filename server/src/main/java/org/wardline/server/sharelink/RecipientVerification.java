package org.wardline.server.sharelink;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import org.wardline.protocol.ErrorCode;
import org.wardline.server.account.UserStore;
import org.wardline.server.http.WardlineHttpException;
import org.wardline.protocol.Secret;
import org.wardline.storage.audit.AuditAction;
import org.wardline.storage.audit.AuditDetails;
import org.wardline.storage.audit.AuditOutcome;
import org.wardline.storage.object.ObjectCatalog;
import org.wardline.storage.object.StoredObject;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

/**
 * The recipient proves they hold the link (its secret) and the one-time code: email codes are sent on request
 * and live 10 minutes; phone codes were given to the sender at creation. Wrong secrets and unknown IDs look the
 * same (not found) and count against the source address; wrong codes count against the link, which locks after
 * {@link #LOCK_AFTER} consecutive failures (a successful open resets the count). A correct code opens one session,
 * counted as one open. A phone code is fixed at creation and valid for the link's life, bounded by its maximum
 * opens and the lock.
 */
final class RecipientVerification {
    static final int LOCK_AFTER = 5;
    static final Duration CODE_LIFETIME = Duration.ofMinutes(10);
    static final Duration SESSION_LIFETIME = Duration.ofMinutes(15);
    static final int CODES_PER_HOUR = 5;

    /** A link whose secret was proven, with its file, and the secret's bytes for code MACs. */
    record Checked(ShareLinkStore.StoredLink stored, StoredObject file, byte[] secret) {
        ShareLink link() {
            return stored.link();
        }
    }

    /** The session the browser gets after a correct code. */
    record Opened(ShareLink link, Secret<String> sessionToken) {
    }

    /**
     * How the recipient gets their code, and what the page tells them: until when, how many tries before lockout, and
     * who sent it (the sender's display name, else user name, shown only once the link's secret is proven).
     */
    record Started(RecipientKind channel, java.time.Instant expiresAt, int attemptsLeft, String sender) {
    }

    private final ShareLinkStore store;
    private final ObjectCatalog catalog;
    private final CodeSender sender;
    private final AttemptLimiter limiter;
    private final ShareLinkAudit audit;
    private final OwnerNotice notice;
    private final UserStore users;
    private final Clock clock;

    RecipientVerification(ShareLinkStore store, ObjectCatalog catalog, CodeSender sender, AttemptLimiter limiter,
                          ShareLinkAudit audit, OwnerNotice notice, UserStore users, Clock clock) {
        this.notice = notice;
        this.users = users;
        this.store = store;
        this.catalog = catalog;
        this.sender = sender;
        this.limiter = limiter;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Checks the secret and the link's state; for an email recipient, sends a fresh code, which replaces the one sent
     * before ({@code resend}: the recipient asked for a new one; audited as such). @return the channel
     */
    Future<Started> start(RoutingContext ctx, UUID id, String secret, boolean resend) {
        String step = resend ? "resend" : "start";
        return check(ctx, id, secret, step).compose(checked -> senderName(checked.link()).compose(senderName -> {
            ShareLink link = checked.link();
            int left = Math.max(0, LOCK_AFTER - link.failedAttempts());
            if (link.recipientKind() == RecipientKind.PHONE) {
                audit.recipient(ctx, ShareLinkAudit.VERIFICATION, AuditOutcome.SUCCESS, id, details(step, "phone"));
                return Future.succeededFuture(new Started(RecipientKind.PHONE, link.expiresAt(), left, senderName));
            }
            String code = LinkSecrets.newCode();
            return store.saveCode(id, LinkSecrets.codeMac(checked.secret(), id, code), clock.instant().plus(CODE_LIFETIME),
                    CODES_PER_HOUR).compose(saved -> {
                if (!saved) {
                    audit.recipient(ctx, ShareLinkAudit.VERIFICATION, AuditOutcome.DENIED, id, details(step, "too-many-codes"));
                    return Future.failedFuture(new WardlineHttpException(ErrorCode.LINK_TOO_MANY_CODES));
                }
                return sender.send(id, link.recipient(), Secret.of(code)).map(v -> {
                    audit.recipient(ctx, ShareLinkAudit.VERIFICATION, AuditOutcome.SUCCESS, id, details(step, "code-sent"));
                    return new Started(RecipientKind.EMAIL, link.expiresAt(), left, senderName);
                });
            });
        }));
    }

    private Future<String> senderName(ShareLink link) {
        return users.byId(link.owner()).map(u -> u.map(user -> user.displayName() != null && !user.displayName().isBlank()
                        ? user.displayName() : user.username()).orElse(null))
                .otherwise((String) null);
    }

    /** Checks the secret and the code; on success counts an open and creates a session. */
    Future<Opened> verify(RoutingContext ctx, UUID id, String secret, String code) {
        return check(ctx, id, secret, "code").compose(checked -> {
            ShareLink link = checked.link();
            Future<Boolean> matches;
            if (!LinkSecrets.wellFormedCode(code)) {
                matches = Future.succeededFuture(false);
            } else {
                byte[] mac = LinkSecrets.codeMac(checked.secret(), id, code);
                matches = link.recipientKind() == RecipientKind.PHONE
                        ? Future.succeededFuture(LinkSecrets.same(mac, checked.stored().phoneCodeMac()))
                        : store.consumeCode(id, mac);
            }
            return matches.compose(ok -> ok ? open(ctx, link) : wrongCode(ctx, link));
        });
    }

    private Future<Opened> open(RoutingContext ctx, ShareLink link) {
        return store.countOpen(link.id()).compose(counted -> {
            if (!counted) {
                audit.recipient(ctx, ShareLinkAudit.VERIFICATION, AuditOutcome.DENIED, link.id(), details("code", "exhausted"));
                return Future.failedFuture(new WardlineHttpException(ErrorCode.LINK_EXHAUSTED));
            }
            String token = LinkSecrets.newSessionToken();
            return store.createSession(LinkSecrets.sha256(token), link.id(), clock.instant().plus(SESSION_LIFETIME))
                    .compose(v -> store.event(link.id(), "opened", "success"))
                    // The session cookie is handed out only once the opening is in the trail.
                    .compose(v -> audit.recipient(ctx, AuditAction.SHARELINK_OPENED, AuditOutcome.SUCCESS, link.id(),
                            AuditDetails.builder().put("owner", link.owner()).put("opens", link.opens() + 1L).build()))
                    .map(receipt -> new Opened(link, Secret.of(token)));
        });
    }

    private Future<Opened> wrongCode(RoutingContext ctx, ShareLink link) {
        return limiter.failed(PatientRoutes.source(ctx)).compose(v -> store.recordFailure(link.id(), LOCK_AFTER)).compose(locked -> {
            audit.recipient(ctx, ShareLinkAudit.VERIFICATION, AuditOutcome.DENIED, link.id(), details("code", "wrong-code"));
            if (!locked) {
                return Future.failedFuture(new WardlineHttpException(ErrorCode.LINK_CODE_INVALID));
            }
            // The entry raises the security officer's alert (ShareLinkLockedRule); the sender is told directly.
            audit.recipient(ctx, ShareLinkAudit.LOCKED, AuditOutcome.SUCCESS, link.id(),
                    AuditDetails.builder().put("owner", link.owner()).put("failures", LOCK_AFTER).build());
            notice.linkLocked(link.id(), link.owner());
            return store.event(link.id(), "locked", "denied")
                    .compose(v -> Future.failedFuture(new WardlineHttpException(ErrorCode.LINK_LOCKED)));
        });
    }

    /** The link, if the secret is right, the link is live and its file is still committed. */
    Future<Checked> check(RoutingContext ctx, UUID id, String secret, String step) {
        String source = PatientRoutes.source(ctx);
        return limiter.allowed(source).compose(allowed -> {
            if (!allowed) {
                audit.recipient(ctx, ShareLinkAudit.VERIFICATION, AuditOutcome.DENIED, id, details(step, "rate-limited"));
                return Future.failedFuture(new WardlineHttpException(ErrorCode.RATE_LIMITED));
            }
            return checkSecret(ctx, id, secret, step, source);
        });
    }

    private Future<Checked> checkSecret(RoutingContext ctx, UUID id, String secret, String step, String source) {
        byte[] secretBytes = LinkSecrets.decodeSecret(secret).orElse(null);
        return store.find(id).compose(found -> {
            if (secretBytes == null || found.isEmpty()
                    || !LinkSecrets.same(LinkSecrets.sha256(secretBytes), found.get().secretSha256())) {
                return limiter.failed(source).compose(v -> {
                    audit.recipient(ctx, ShareLinkAudit.VERIFICATION, AuditOutcome.DENIED, found.isPresent() ? id : null,
                            details(step, found.isPresent() ? "wrong-secret" : "unknown-link"));
                    return Future.failedFuture(new WardlineHttpException(ErrorCode.NOT_FOUND));
                });
            }
            ShareLink link = found.get().link();
            LinkStatus status = link.status(clock.instant());
            if (status != LinkStatus.ACTIVE) {
                audit.recipient(ctx, ShareLinkAudit.VERIFICATION, AuditOutcome.DENIED, id,
                        details(step, status.name().toLowerCase(java.util.Locale.ROOT)));
                return Future.failedFuture(new WardlineHttpException(status.error()));
            }
            return catalog.findCommitted(link.object())
                    .recover(e -> {
                        audit.recipient(ctx, ShareLinkAudit.VERIFICATION, AuditOutcome.DENIED, id, details(step, "file-gone"));
                        return Future.failedFuture(new WardlineHttpException(ErrorCode.LINK_REVOKED));
                    })
                    .map(file -> new Checked(found.get(), file, secretBytes));
        });
    }

    private static AuditDetails details(String step, String result) {
        return AuditDetails.builder().putCode("step", step).putCode("result", result).build();
    }
}
