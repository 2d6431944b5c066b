package org.wardline.server.sharelink;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import org.wardline.server.audit.RequestAudit;
import org.wardline.server.http.PeerIdentity;
import org.wardline.storage.audit.AuditAction;
import org.wardline.storage.audit.AuditDetails;
import org.wardline.storage.audit.AuditEvent;
import org.wardline.storage.audit.AuditLog;
import org.wardline.storage.audit.AuditOutcome;
import org.wardline.storage.audit.AuditReceipt;

import java.util.UUID;

/** Share-link entries in the audit trail: IDs and outcomes only, never secrets, codes, addresses or names. */
final class ShareLinkAudit {
    static final AuditAction VERIFICATION = new AuditAction("sharelink.verification");
    static final AuditAction LOCKED = new AuditAction("sharelink.locked");
    static final AuditAction DOWNLOAD_STARTED = new AuditAction("sharelink.download.started");
    static final AuditAction DOWNLOADED = new AuditAction("sharelink.downloaded");
    static final AuditAction VIEWED = new AuditAction("sharelink.viewed");

    private final RequestAudit audit;

    ShareLinkAudit(AuditLog audit) {
        this.audit = new RequestAudit(audit);
    }

    /** An owner's action on the device listener. */
    Future<AuditReceipt> owner(RoutingContext ctx, PeerIdentity peer, AuditAction action, AuditOutcome outcome,
                               UUID linkId, AuditDetails details) {
        return record(RequestAudit.event(ctx, peer.userId(), peer.deviceId(), action, outcome).details(details), linkId);
    }

    /** A recipient's step on the public listener: no actor, the link is the object, the owner in the details. */
    Future<AuditReceipt> recipient(RoutingContext ctx, AuditAction action, AuditOutcome outcome, UUID linkId,
                                   AuditDetails details) {
        return record(RequestAudit.event(ctx, null, null, action, outcome).details(details), linkId);
    }

    /** A system action on behalf of a user (offboarding, incident containment). */
    Future<AuditReceipt> system(AuditAction action, UUID owner, UUID linkId, AuditDetails details) {
        return system(action, AuditOutcome.SUCCESS, owner, linkId, details);
    }

    /** A system action on behalf of a user with its outcome (a drill's set-up); {@code linkId} null when none was made. */
    Future<AuditReceipt> system(AuditAction action, AuditOutcome outcome, UUID owner, UUID linkId, AuditDetails details) {
        return record(AuditEvent.builder(action, outcome).actorUser(owner).details(details), linkId);
    }

    private Future<AuditReceipt> record(AuditEvent.Builder event, UUID linkId) {
        if (linkId != null) {
            event.object("sharelink", linkId);
        }
        return audit.record(event);
    }
}
