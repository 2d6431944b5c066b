package org.wardline.storage.audit.alert;

import org.wardline.storage.audit.AuditEntry;

import java.util.List;

/**
 * Break-glass always alerts: every {@code breakglass.*} action (started, ended, refused). Accesses made
 * under break-glass carry {@link org.wardline.storage.audit.AuditFlag#BREAK_GLASS} and go to the review
 * record rather than to one alert each.
 */
public final class BreakGlassRule implements AlertRule {
    public static final String CODE = "break_glass";

    @Override
    public String code() {
        return CODE;
    }

    @Override
    public List<Alert> evaluate(AuditEntry entry) {
        if (!entry.action().startsWith("breakglass.")) {
            return List.of();
        }
        return List.of(new Alert(CODE, AlertSeverity.CRITICAL, entry.occurredAt(), entry.seq(), entry.actorUserId(),
                entry.sourceIp(), 1, "break-glass: " + entry.action() + " (" + entry.outcome() + ")", entry.objectType(),
                entry.objectId()));
    }
}
