package org.wardline.storage.audit.alert;

import org.wardline.storage.audit.AuditEntry;
import org.wardline.storage.audit.AuditOutcome;

import java.util.List;
import java.util.Set;

/** Bulk export: one user downloads or exports {@code threshold} objects within the window. */
public final class BulkDownloadRule implements AlertRule {
    public static final String CODE = "bulk_download";

    private final Set<String> actions;
    private final SlidingWindowCounter perUser;

    public BulkDownloadRule(AlertRulesConfig.BulkDownloads config) {
        this.actions = config.actions();
        this.perUser = new SlidingWindowCounter(config.threshold(), config.window(), 100_000);
    }

    @Override
    public String code() {
        return CODE;
    }

    @Override
    public List<Alert> evaluate(AuditEntry entry) {
        if (entry.actorUserId() == null || !actions.contains(entry.action())
                || !AuditOutcome.SUCCESS.code().equals(entry.outcome())) {
            return List.of();
        }
        int count = perUser.add(entry.actorUserId().toString(), entry.occurredAt());
        if (count == 0) {
            return List.of();
        }
        return List.of(new Alert(CODE, AlertSeverity.HIGH, entry.occurredAt(), entry.seq(), entry.actorUserId(),
                entry.sourceIp(), count, count + " downloads or exports by one user"));
    }
}
