package org.wardline.server.admin;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import org.wardline.server.audit.RequestAudit;
import org.wardline.server.rbac.Principal;
import org.wardline.storage.audit.AuditAction;
import org.wardline.storage.audit.AuditDetails;
import org.wardline.storage.audit.AuditEvent;
import org.wardline.storage.audit.AuditLog;
import org.wardline.storage.audit.AuditOutcome;
import org.wardline.storage.audit.AuditReceipt;

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
    public static final AuditAction AUDIT_SEARCHED = new AuditAction("audit.searched");

    private final RequestAudit audit;

    public AdminAudit(AuditLog audit) {
        this.audit = new RequestAudit(audit);
    }

    /** Writes the entry; fails with {@code audit.unavailable} when it cannot be, so the caller answers that instead. */
    public Future<AuditReceipt> record(RoutingContext ctx, Principal by, AuditAction action, AuditOutcome outcome,
                                       String objectType, String objectId, AuditDetails details) {
        AuditEvent.Builder e = RequestAudit.event(ctx, by == null ? null : by.userId(), by == null ? null : by.deviceId(),
                action, outcome).details(details);
        if (objectType != null) {
            e.object(objectType, objectId);
        }
        return audit.record(e);
    }

    /** Writes {@code event} as this request's by {@code by}; fails with {@code audit.unavailable} when it cannot be. */
    public Future<AuditReceipt> record(RoutingContext ctx, Principal by, AuditEvent.Builder event) {
        return audit.record(RequestAudit.of(ctx, by == null ? null : by.userId(), by == null ? null : by.deviceId(), event));
    }

    public Future<AuditReceipt> success(RoutingContext ctx, Principal by, AuditAction action, String objectType,
                                        String objectId, AuditDetails details) {
        return record(ctx, by, action, AuditOutcome.SUCCESS, objectType, objectId, details);
    }
}
