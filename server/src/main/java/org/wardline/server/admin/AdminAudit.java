package org.wardline.server.admin;

import io.vertx.ext.web.RoutingContext;
import org.wardline.server.audit.SourceAddresses;
import org.wardline.server.http.RequestIds;
import org.wardline.server.rbac.Principal;
import org.wardline.storage.audit.AuditAction;
import org.wardline.storage.audit.AuditDetails;
import org.wardline.storage.audit.AuditEvent;
import org.wardline.storage.audit.AuditLog;
import org.wardline.storage.audit.AuditOutcome;

/** Administrative actions in the audit trail: who (user and device), from where, what, the outcome; IDs and codes only. */
public final class AdminAudit {
    public static final AuditAction REFUSED = new AuditAction("admin.request.refused");
    public static final AuditAction POLICY_SET = new AuditAction("retention.policy.set");
    public static final AuditAction POLICY_REMOVED = new AuditAction("retention.policy.removed");
    public static final AuditAction HOLD_PLACED = new AuditAction("legalhold.placed");
    public static final AuditAction HOLD_RELEASED = new AuditAction("legalhold.released");
    public static final AuditAction OFFBOARDED = new AuditAction("admin.user.offboarded");
    public static final AuditAction REVIEW_GENERATED = new AuditAction("accessreview.generated");
    public static final AuditAction REVIEW_SIGNED = new AuditAction("accessreview.signed");
    public static final AuditAction DISCLOSURES_REPORTED = new AuditAction("report.disclosures");
    public static final AuditAction EVIDENCE_REPORTED = new AuditAction("report.hipaa_evidence");

    private final AuditLog audit;

    public AdminAudit(AuditLog audit) {
        this.audit = audit;
    }

    public void record(RoutingContext ctx, Principal by, AuditAction action, AuditOutcome outcome, String objectType,
                       String objectId, AuditDetails details) {
        AuditEvent.Builder e = AuditEvent.builder(action, outcome).requestId(RequestIds.of(ctx)).details(details);
        if (by != null) {
            e.actor(by.userId(), by.deviceId());
        }
        if (objectType != null) {
            e.object(objectType, objectId);
        }
        var remote = ctx.request().remoteAddress();
        if (remote != null) {
            SourceAddresses.parse(remote.hostAddress()).ifPresent(e::sourceIp);
        }
        audit.record(e.build());
    }

    public void success(RoutingContext ctx, Principal by, AuditAction action, String objectType, String objectId,
                        AuditDetails details) {
        record(ctx, by, action, AuditOutcome.SUCCESS, objectType, objectId, details);
    }
}
