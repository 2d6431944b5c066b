package org.wardline.storage.audit.alert;

import org.wardline.storage.audit.AuditEntry;

import java.util.List;

/**
 * The scheduled verification found the trail altered ({@code audit.chain.broken}): a critical alert naming the first
 * entry that can no longer be trusted (its sequence number is the entry's object).
 */
public final class AuditChainBrokenRule implements AlertRule {
    public static final String CODE = "audit_chain_broken";
    public static final String ACTION = "audit.chain.broken";

    @Override
    public String code() {
        return CODE;
    }

    @Override
    public List<Alert> evaluate(AuditEntry entry) {
        if (!entry.action().equals(ACTION)) {
            return List.of();
        }
        return List.of(new Alert(CODE, AlertSeverity.CRITICAL, entry.occurredAt(), entry.seq(), null, null, 1,
                "audit trail altered: first bad entry named", entry.objectType(), entry.objectId()));
    }
}
