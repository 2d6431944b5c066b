package org.wardline.storage.audit.alert;

import org.wardline.storage.audit.AuditEntry;

import java.util.List;

/** A scheduled backup that failed ({@code backup.failed}) alerts: an installation without fresh backups is at risk. */
public final class BackupFailedRule implements AlertRule {
    public static final String CODE = "backup_failed";
    public static final String ACTION = "backup.failed";

    @Override
    public String code() {
        return CODE;
    }

    @Override
    public List<Alert> evaluate(AuditEntry entry) {
        if (!entry.action().equals(ACTION)) {
            return List.of();
        }
        return List.of(new Alert(CODE, AlertSeverity.HIGH, entry.occurredAt(), entry.seq(), null, null, 1,
                "scheduled backup failed", entry.objectType(), entry.objectId()));
    }
}
