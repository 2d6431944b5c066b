package org.wardline.server.sharelink;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import org.wardline.protocol.ErrorCode;
import org.wardline.server.http.PeerIdentity;
import org.wardline.server.delivery.ConversationFreezes;
import org.wardline.server.http.WardlineHttpException;
import org.wardline.protocol.Secret;
import org.wardline.storage.audit.AuditAction;
import org.wardline.storage.audit.AuditDetails;
import org.wardline.storage.audit.AuditOutcome;
import org.wardline.storage.audit.AuditReceipt;
import org.wardline.storage.blob.BlobId;
import org.wardline.storage.object.ObjectCatalog;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The owner's side of share links: create for one of their committed files, list, revoke, unlock; offboarding. */
public final class ShareLinks {
    static final int DEFAULT_EXPIRY_HOURS = 72;
    static final int MAX_EXPIRY_HOURS = 30 * 24;
    static final int DEFAULT_MAX_OPENS = 3;
    static final int MAX_OPENS_CAP = 100;

    /** A validated creation request. */
    public record Request(BlobId file, RecipientKind recipientKind, Secret<String> recipient, int expiresInHours, int maxOpens,
                          ShareMode mode, boolean justified) {
    }

    /** A created link: the URL (with its secret) and, for a phone recipient, the code the sender reads out. */
    public record Created(ShareLink link, Secret<String> url, Optional<Secret<String>> phoneCode) {
    }

    /** Writes a creation's audit entry: the owner's request on the device listener, or the server's on their behalf. */
    @FunctionalInterface
    private interface CreationAudit {
        Future<AuditReceipt> record(AuditOutcome outcome, UUID linkId, AuditDetails details);
    }

    private final ShareLinkStore store;
    private final ObjectCatalog catalog;
    private final ShareLinkAudit audit;
    private final ExternalSharePolicy dlp;
    private final URI publicUrl;
    private final Clock clock;
    private final ConversationFreezes freezes;

    ShareLinks(ShareLinkStore store, ObjectCatalog catalog, ShareLinkAudit audit, ExternalSharePolicy dlp, URI publicUrl,
               Clock clock, ConversationFreezes freezes) {
        this.freezes = freezes;
        this.store = store;
        this.dlp = dlp;
        this.catalog = catalog;
        this.audit = audit;
        this.publicUrl = publicUrl;
        this.clock = clock;
    }

    Future<Created> create(RoutingContext ctx, PeerIdentity owner, Request request) {
        return create(owner.userId(), request, Optional.empty(),
                (outcome, id, details) -> audit.owner(ctx, owner, AuditAction.SHARELINK_CREATED, outcome, id, details));
    }

    /**
     * Creates a link for {@code owner} with no request behind it (an incident drill's set-up): the same ownership,
     * freeze and DLP checks as the owner's own request, audited as a system entry for the owner with {@code via} (a
     * code) in its details; a link whose entry cannot be written is revoked at once. Sends nothing to the recipient.
     */
    public Future<Created> createOnBehalf(UUID owner, Request request, String via) {
        return create(owner, request, Optional.of(via),
                (outcome, id, details) -> audit.system(AuditAction.SHARELINK_CREATED, outcome, owner, id, details));
    }

    private Future<Created> create(UUID owner, Request request, Optional<String> via, CreationAudit entry) {
        return catalog.findCommitted(request.file())
                .recover(e -> Future.failedFuture(new WardlineHttpException(ErrorCode.NOT_FOUND)))
                .compose(object -> {
                    if (!object.owner().equals(owner)) {
                        return Future.failedFuture(new WardlineHttpException(ErrorCode.NOT_FOUND));
                    }
                    return freezes.holdsFrozenFile(request.file().value()).compose(frozen -> frozen
                            ? Future.<org.wardline.dlp.policy.Decision>failedFuture(new WardlineHttpException(ErrorCode.CONVERSATION_FROZEN))
                            : dlp.check(object, request.justified())).recover(e -> {
                        if (e instanceof WardlineHttpException w) {
                            AuditDetails.Builder refused = AuditDetails.builder().put("file", request.file().value())
                                    .putCode("error", w.code().code());
                            via.ifPresent(v -> refused.putCode("via", v));
                            return entry.record(AuditOutcome.DENIED, null, refused.build())
                                    .transform(written -> Future.failedFuture(e));
                        }
                        return Future.failedFuture(e);
                    });
                })
                .compose(decision -> {
                    UUID id = UUID.randomUUID();
                    String secret = LinkSecrets.newSecret();
                    byte[] secretBytes = LinkSecrets.decodeSecret(secret).orElseThrow();
                    Optional<String> phoneCode = request.recipientKind() == RecipientKind.PHONE
                            ? Optional.of(LinkSecrets.newCode()) : Optional.empty();
                    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
                    ShareLink link = new ShareLink(id, owner, request.file(), request.recipientKind(),
                            request.recipient(), request.mode(), now, now.plus(Duration.ofHours(request.expiresInHours())),
                            request.maxOpens(), 0, 0, Optional.empty(), Optional.empty());
                    AuditDetails.Builder created = AuditDetails.builder().put("file", request.file().value())
                            .put("mode", request.mode()).put("recipientKind", request.recipientKind())
                            .put("maxOpens", request.maxOpens()).put("dlp", decision)
                            .put("justified", request.justified())
                            .put("expiresInHours", request.expiresInHours());
                    via.ifPresent(v -> created.putCode("via", v));
                    return store.insert(link, LinkSecrets.sha256(secretBytes),
                                    phoneCode.map(c -> LinkSecrets.codeMac(secretBytes, id, c)).orElse(null))
                            .compose(v -> entry.record(AuditOutcome.SUCCESS, id, created.build())
                                    // A link whose creation is not in the trail must not be usable.
                                    .recover(unaudited -> store.revoke(id, owner)
                                            .transform(revoked -> Future.failedFuture(unaudited))))
                            .map(receipt -> new Created(link, Secret.of(url(id, secret)), phoneCode.map(Secret::of)));
                });
    }

    Future<List<ShareLinkStore.Listed>> list(UUID owner) {
        return store.byOwner(owner);
    }

    Future<List<ShareLinkStore.LinkEvent>> history(UUID linkId) {
        return store.events(linkId);
    }

    Future<Void> revoke(RoutingContext ctx, PeerIdentity owner, UUID linkId) {
        return store.find(linkId).compose(found -> {
            if (found.isEmpty() || !found.get().link().owner().equals(owner.userId())) {
                return Future.failedFuture(new WardlineHttpException(ErrorCode.NOT_FOUND));
            }
            return store.revoke(linkId, owner.userId()).compose(revoked -> {
                if (revoked) {
                    return audit.owner(ctx, owner, AuditAction.SHARELINK_REVOKED, AuditOutcome.SUCCESS, linkId,
                            AuditDetails.empty()).compose(receipt -> store.event(linkId, "revoked", "success"));
                }
                return Future.succeededFuture();
            });
        });
    }

    /**
     * Lifts the lock of a link that locked after wrong codes: its sender's own link, or any link for a security
     * officer ({@code officer}). Audited with who lifted it; the recipient then asks for a new code.
     * @return whether it was locked (false: nothing changed)
     */
    Future<Boolean> unlock(RoutingContext ctx, PeerIdentity caller, UUID linkId, boolean officer) {
        return store.find(linkId).compose(found -> {
            if (found.isEmpty() || (!officer && !found.get().link().owner().equals(caller.userId()))) {
                return Future.failedFuture(new WardlineHttpException(ErrorCode.NOT_FOUND));
            }
            UUID owner = found.get().link().owner();
            return store.unlock(linkId).compose(unlocked -> !unlocked ? Future.succeededFuture(false)
                    : audit.owner(ctx, caller, AuditAction.SHARELINK_UNLOCKED, AuditOutcome.SUCCESS, linkId,
                                    AuditDetails.builder().put("owner", owner)
                                            .putCode("by", officer ? "security-officer" : "owner").build())
                            .compose(receipt -> store.event(linkId, "unlocked", "success")).map(true));
        });
    }

    /**
     * Ends every live link a user owns, at once (owner offboarding). For the accounts module.
     * @return how many links were revoked
     */
    public Future<Integer> revokeAllFor(UUID userId) {
        return store.revokeAllFor(userId).compose(ids -> Future.all(ids.stream()
                        .map(id -> audit.system(AuditAction.SHARELINK_REVOKED, userId, id,
                                AuditDetails.builder().putCode("reason", "owner-offboarded").build()))
                        .toList())
                .map(written -> ids.size()));
    }

    /**
     * Ends live links at once for a security officer's incident containment: one link, every link to one file, or
     * every link a user owns. Each revoked link is audited with reason {@code incident}.
     * @return the IDs of the links revoked now (none when they were all revoked already)
     */
    public Future<List<UUID>> revokeForIncident(String scope, UUID id, UUID officer) {
        Future<List<UUID>> revoked = switch (scope) {
            case "link" -> store.revokeWhere(false, id);
            case "file" -> store.revokeWhere(true, id);
            case "user" -> store.revokeAllFor(id);
            default -> Future.failedFuture(new IllegalArgumentException("scope " + scope));
        };
        return revoked.compose(ids -> Future.all(ids.stream()
                        .map(link -> audit.system(AuditAction.SHARELINK_REVOKED, officer, link,
                                AuditDetails.builder().putCode("reason", "incident").build()))
                        .toList())
                .map(written -> ids));
    }

    private String url(UUID id, String secret) {
        String base = publicUrl.toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return base + "/s/" + id + "#" + secret;
    }
}
