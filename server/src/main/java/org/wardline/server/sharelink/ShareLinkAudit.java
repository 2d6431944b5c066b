package org.wardline.server.sharelink;

import org.wardline.server.audit.SourceAddresses;
import io.vertx.ext.web.RoutingContext;
import org.wardline.server.http.PeerIdentity;
import org.wardline.server.http.RequestIds;
import org.wardline.storage.audit.AuditAction;
import org.wardline.storage.audit.AuditDetails;
import org.wardline.storage.audit.AuditEvent;
import org.wardline.storage.audit.AuditLog;
import org.wardline.storage.audit.AuditOutcome;

import java.util.UUID;

/** Share-link entries in the audit trail: IDs and outcomes only, never secrets, codes, addresses or names. */
final class ShareLinkAudit {
    static final AuditAction VERIFICATION = new AuditAction("sharelink.verification");
    static final AuditAction LOCKED = new AuditAction("sharelink.locked");
    static final AuditAction DOWNLOADED = new AuditAction("sharelink.downloaded");
    static final AuditAction VIEWED = new AuditAction("sharelink.viewed");

    private final AuditLog audit;

    ShareLinkAudit(AuditLog audit) {
        this.audit = audit;
    }

    /** An owner's action on the device listener. */
    void owner(RoutingContext ctx, PeerIdentity peer, AuditAction action, AuditOutcome outcome, UUID linkId,
               AuditDetails details) {
        AuditEvent.Builder event = AuditEvent.builder(action, outcome).actor(peer.userId(), peer.deviceId())
                .details(details);
        record(ctx, event, linkId);
    }

    /** A recipient's step on the public listener: no actor, the link is the object, the owner in the details. */
    void recipient(RoutingContext ctx, AuditAction action, AuditOutcome outcome, UUID linkId, AuditDetails details) {
        record(ctx, AuditEvent.builder(action, outcome).details(details), linkId);
    }

    /** A system action on behalf of a user (offboarding). */
    void system(AuditAction action, UUID owner, UUID linkId, AuditDetails details) {
        audit.record(AuditEvent.builder(action, AuditOutcome.SUCCESS).actorUser(owner).object("sharelink", linkId)
                .details(details).build());
    }

    private void record(RoutingContext ctx, AuditEvent.Builder event, UUID linkId) {
        if (linkId != null) {
            event.object("sharelink", linkId);
        }
        event.requestId(RequestIds.of(ctx));
        var remote = ctx.request().remoteAddress();
        if (remote != null) {
            SourceAddresses.parse(remote.hostAddress()).ifPresent(event::sourceIp);
        }
        audit.record(event.build());
    }
}
