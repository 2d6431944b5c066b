package org.wardline.server.audit;

import org.wardline.storage.audit.AuditAction;
import org.wardline.storage.audit.AuditDetails;
import org.wardline.storage.audit.AuditEvent;
import org.wardline.storage.audit.AuditOutcome;
import org.wardline.storage.audit.ExportFormat;
import org.wardline.storage.audit.VerificationReport;

import java.time.Instant;

/**
 * The entries of operations on the trail itself, the same from the CLI and the API: an export is asked for (range and
 * format, written before anything is read) and done (with how many entries it held); a verification with its result.
 */
public final class TrailEntries {
    public static final AuditAction EXPORT_REQUESTED = new AuditAction("audit.export.requested");
    public static final AuditAction EXPORTED = AuditAction.AUDIT_EXPORTED;
    public static final AuditAction VERIFIED = AuditAction.AUDIT_VERIFIED;

    /**
     * How the operation was asked for: through the API (the entry's actor is the signed-in user) or by an operator on
     * the server's host (named by their operating-system account, {@link #operatorAccount()}).
     */
    public enum Via { CLI, API }

    private TrailEntries() {
    }

    public static AuditEvent.Builder exportRequested(Via via, String operator, Instant from, Instant to, ExportFormat format) {
        return AuditEvent.builder(EXPORT_REQUESTED, AuditOutcome.SUCCESS).details(range(via, operator, from, to, format).build());
    }

    public static AuditEvent.Builder exported(Via via, String operator, Instant from, Instant to, ExportFormat format, long entries) {
        return AuditEvent.builder(EXPORTED, AuditOutcome.SUCCESS)
                .details(range(via, operator, from, to, format).put("entries", entries).build());
    }

    public static AuditEvent.Builder verified(Via via, String operator, VerificationReport report) {
        AuditDetails.Builder d = withOperator(AuditDetails.builder().put("via", via), operator).putCode("result", report.valid() ? "intact" : "broken")
                .put("entriesChecked", report.entriesChecked()).put("checkpointsChecked", report.checkpointsChecked())
                .put("lastSeq", report.lastSeq());
        report.failure().ifPresent(f -> d.put("firstBadSeq", f.seq()).put("problem", f.problem()));
        return AuditEvent.builder(VERIFIED, report.valid() ? AuditOutcome.SUCCESS : AuditOutcome.FAILURE).details(d.build());
    }

    /** The operating-system account running this command, when it is a plain name. */
    static String operatorAccount() {
        String name = System.getProperty("user.name", "");
        return name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}") ? name : "unknown";
    }

    private static AuditDetails.Builder range(Via via, String operator, Instant from, Instant to, ExportFormat format) {
        return withOperator(AuditDetails.builder().put("via", via), operator).putCode("from", from.toString())
                .putCode("to", to.toString()).put("format", format);
    }

    private static AuditDetails.Builder withOperator(AuditDetails.Builder d, String operator) {
        return operator == null ? d : d.putCode("operator", operator);
    }
}
