package org.wardline.server.retention;

import org.wardline.storage.audit.AuditAction;
import org.wardline.storage.audit.AuditDetails;
import org.wardline.storage.audit.AuditEvent;
import org.wardline.storage.audit.AuditLog;
import org.wardline.storage.audit.AuditOutcome;

import java.util.List;
import java.util.UUID;

/**
 * Records retention deletions in the audit trail in batches: one entry per up to {@value #IDS_PER_ENTRY} items,
 * with the kind, the batch's count, whether each was verified gone, and the IDs. Never content or names.
 */
final class RetentionAudit {
    static final AuditAction DELETED = new AuditAction("retention.deleted");
    static final AuditAction DELETE_FAILED = new AuditAction("retention.delete_failed");
    static final AuditAction RUN = new AuditAction("retention.run");
    static final int IDS_PER_ENTRY = 12;

    private final AuditLog audit;

    RetentionAudit(AuditLog audit) {
        this.audit = audit;
    }

    /** {@code ids} were deleted (or expired); {@code verified} says each was checked gone afterwards. */
    void deleted(Actor actor, RetentionKind kind, List<?> ids, boolean verified) {
        for (int from = 0; from < ids.size(); from += IDS_PER_ENTRY) {
            List<?> chunk = ids.subList(from, Math.min(ids.size(), from + IDS_PER_ENTRY));
            AuditDetails.Builder d = AuditDetails.builder().putCode("kind", kind.wireName()).put("count", chunk.size())
                    .put("verified", verified);
            for (int i = 0; i < chunk.size(); i++) {
                d.putValue("id%02d".formatted(i), chunk.get(i));
            }
            audit.record(event(actor, verified ? DELETED : DELETE_FAILED,
                    verified ? AuditOutcome.SUCCESS : AuditOutcome.FAILURE).object("retention", kind.wireName())
                    .details(d.build()).build());
        }
    }

    void failed(Actor actor, RetentionKind kind, Object id, String reason) {
        audit.record(event(actor, DELETE_FAILED, AuditOutcome.FAILURE).object("retention", kind.wireName())
                .details(AuditDetails.builder().putCode("kind", kind.wireName()).putValue("id00", id)
                        .putCode("reason", reason).build()).build());
    }

    void run(Actor actor, RetentionReport report) {
        AuditDetails.Builder d = AuditDetails.builder().put("dryRun", report.dryRun());
        for (RetentionReport.Section s : report.sections()) {
            d.put(s.kind().wireName(), s.count());
            d.put(s.kind().wireName() + "_failed", s.failed());
        }
        d.put("audit_past_retention", report.audit().entries());
        audit.record(event(actor, RUN, AuditOutcome.SUCCESS).details(d.build()).build());
    }

    private static AuditEvent.Builder event(Actor actor, AuditAction action, AuditOutcome outcome) {
        AuditEvent.Builder b = AuditEvent.builder(action, outcome);
        if (actor != null) {
            b.actor(actor.userId(), actor.deviceId()).requestId(actor.requestId());
        }
        return b;
    }

    /** Who asked for a run from the admin API; null for the scheduled job. */
    record Actor(UUID userId, UUID deviceId, String requestId) {
    }
}
