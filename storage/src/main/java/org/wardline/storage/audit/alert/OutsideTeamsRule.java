package org.wardline.storage.audit.alert;

import org.wardline.storage.audit.AuditEntry;
import org.wardline.storage.audit.AuditFlag;
import org.wardline.storage.audit.AuditOutcome;

import java.util.List;

/** Access outside one's care teams: a successful entry flagged {@link AuditFlag#OUTSIDE_TEAMS}. */
public final class OutsideTeamsRule implements AlertRule {
    public static final String CODE = "outside_teams_access";

    @Override
    public String code() {
        return CODE;
    }

    @Override
    public List<Alert> evaluate(AuditEntry entry) {
        if (!entry.hasFlag(AuditFlag.OUTSIDE_TEAMS) || !AuditOutcome.SUCCESS.code().equals(entry.outcome())) {
            return List.of();
        }
        return List.of(new Alert(CODE, AlertSeverity.HIGH, entry.occurredAt(), entry.seq(), entry.actorUserId(),
                entry.sourceIp(), 1, "access outside the actor's care teams: " + entry.action(), entry.objectType(), entry.objectId()));
    }
}
