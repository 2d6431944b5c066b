package org.wardline.storage.audit.alert;

import org.wardline.storage.audit.AuditAction;
import org.wardline.storage.audit.AuditEntry;

import java.util.ArrayList;
import java.util.List;

/**
 * Failed sign-in bursts: {@code threshold} failures for one account (guessing) or from one address
 * (password spraying across accounts) within the window.
 */
public final class FailedSignInBurstRule implements AlertRule {
    public static final String CODE = "failed_signin_burst";

    private final SlidingWindowCounter perAccount;
    private final SlidingWindowCounter perAddress;

    public FailedSignInBurstRule(AlertRulesConfig.FailedSignIns config) {
        this.perAccount = new SlidingWindowCounter(config.threshold(), config.window(), 100_000);
        this.perAddress = new SlidingWindowCounter(config.threshold(), config.window(), 100_000);
    }

    @Override
    public String code() {
        return CODE;
    }

    @Override
    public List<Alert> evaluate(AuditEntry entry) {
        if (!entry.isAction(AuditAction.SIGNIN_FAILED)) {
            return List.of();
        }
        List<Alert> alerts = new ArrayList<>(2);
        if (entry.actorUserId() != null) {
            int count = perAccount.add(entry.actorUserId().toString(), entry.occurredAt());
            if (count > 0) {
                alerts.add(new Alert(CODE, AlertSeverity.HIGH, entry.occurredAt(), entry.seq(), entry.actorUserId(), null,
                        count, count + " failed sign-ins for one account"));
            }
        }
        if (entry.sourceIp() != null) {
            int count = perAddress.add(entry.sourceIp(), entry.occurredAt());
            if (count > 0) {
                alerts.add(new Alert(CODE, AlertSeverity.HIGH, entry.occurredAt(), entry.seq(), null, entry.sourceIp(),
                        count, count + " failed sign-ins from one address"));
            }
        }
        return alerts;
    }
}
