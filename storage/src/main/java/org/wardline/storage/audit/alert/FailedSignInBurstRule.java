package org.wardline.storage.audit.alert;

import org.wardline.storage.audit.AuditAction;
import org.wardline.storage.audit.AuditEntry;

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

    /** One alert per burst: when the account's and the address's windows fill on the same entry, they are one event. */
    @Override
    public List<Alert> evaluate(AuditEntry entry) {
        if (!entry.isAction(AuditAction.SIGNIN_FAILED)) {
            return List.of();
        }
        int forAccount = entry.actorUserId() == null ? 0 : perAccount.add(entry.actorUserId().toString(), entry.occurredAt());
        int fromAddress = entry.sourceIp() == null ? 0 : perAddress.add(entry.sourceIp(), entry.occurredAt());
        if (forAccount > 0 && fromAddress > 0) {
            return List.of(new Alert(CODE, AlertSeverity.HIGH, entry.occurredAt(), entry.seq(), entry.actorUserId(),
                    entry.sourceIp(), Math.max(forAccount, fromAddress),
                    Math.max(forAccount, fromAddress) + " failed sign-ins for one account from one address"));
        }
        if (forAccount > 0) {
            return List.of(new Alert(CODE, AlertSeverity.HIGH, entry.occurredAt(), entry.seq(), entry.actorUserId(), null,
                    forAccount, forAccount + " failed sign-ins for one account"));
        }
        if (fromAddress > 0) {
            return List.of(new Alert(CODE, AlertSeverity.HIGH, entry.occurredAt(), entry.seq(), null, entry.sourceIp(),
                    fromAddress, fromAddress + " failed sign-ins from one address"));
        }
        return List.of();
    }
}
