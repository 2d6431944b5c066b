package org.wardline.server.retention;

import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wardline.protocol.ErrorCode;
import org.wardline.server.http.WardlineHttpException;
import org.wardline.storage.audit.AuditAction;
import org.wardline.storage.audit.AuditDetails;
import org.wardline.storage.audit.AuditEvent;
import org.wardline.storage.audit.AuditLog;
import org.wardline.storage.audit.AuditOutcome;

import java.util.ArrayList;
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
    static final AuditAction STARTED = new AuditAction("retention.run.started");
    static final int IDS_PER_ENTRY = 12;
    private static final Logger LOG = LoggerFactory.getLogger(RetentionAudit.class);

    private final AuditLog audit;

    RetentionAudit(AuditLog audit) {
        this.audit = audit;
    }

    /**
     * Written before a run deletes anything; fails with {@code audit.unavailable} when it cannot be, and the run then
     * deletes nothing.
     */
    Future<Void> started(Actor actor) {
        return write(event(actor, STARTED, AuditOutcome.SUCCESS).build());
    }

    /**
     * {@code ids} were deleted (or expired); {@code verified} says each was checked gone afterwards. Fails when an
     * entry cannot be written, and the run stops there.
     */
    Future<Void> deleted(Actor actor, RetentionKind kind, List<?> ids, boolean verified) {
        List<Future<Void>> written = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += IDS_PER_ENTRY) {
            List<?> chunk = ids.subList(from, Math.min(ids.size(), from + IDS_PER_ENTRY));
            AuditDetails.Builder d = AuditDetails.builder().putCode("kind", kind.wireName()).put("count", chunk.size())
                    .put("verified", verified);
            for (int i = 0; i < chunk.size(); i++) {
                d.putValue("id%02d".formatted(i), chunk.get(i));
            }
            written.add(write(event(actor, verified ? DELETED : DELETE_FAILED,
                    verified ? AuditOutcome.SUCCESS : AuditOutcome.FAILURE).object("retention", kind.wireName())
                    .details(d.build()).build()));
        }
        return Future.all(written).mapEmpty();
    }

    Future<Void> failed(Actor actor, RetentionKind kind, Object id, String reason) {
        return write(event(actor, DELETE_FAILED, AuditOutcome.FAILURE).object("retention", kind.wireName())
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
        write(event(actor, RUN, AuditOutcome.SUCCESS).details(d.build()).build());
    }

    private Future<Void> write(AuditEvent e) {
        Future<?> written;
        try {
            written = audit.record(e);
        } catch (RuntimeException full) {
            written = Future.failedFuture(full);
        }
        return written.<Void>mapEmpty().recover(t -> {
            LOG.atError().addKeyValue("action", e.action().code()).addKeyValue("errorType", t.getClass().getSimpleName())
                    .log("retention entry not written; the run stops");
            return Future.failedFuture(new WardlineHttpException(ErrorCode.AUDIT_UNAVAILABLE));
        });
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
