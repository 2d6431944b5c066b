package org.wardline.storage.audit.alert;

import org.wardline.storage.audit.AuditEntry;
import org.wardline.storage.audit.AuditFlag;
import org.wardline.storage.audit.AuditOutcome;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Off-hours access: a successful entry flagged {@link AuditFlag#PHI_ACCESS} outside working hours, at
 * most one alert per user per quiet period.
 */
public final class OffHoursAccessRule implements AlertRule {
    public static final String CODE = "off_hours_access";

    private final AlertRulesConfig.OffHours config;
    private final Map<UUID, Instant> lastAlert = new HashMap<>();

    public OffHoursAccessRule(AlertRulesConfig.OffHours config) {
        this.config = config;
    }

    @Override
    public String code() {
        return CODE;
    }

    /** True if {@code at} falls outside the configured working hours. */
    public boolean isOffHours(Instant at) {
        ZonedDateTime local = at.atZone(config.zone());
        LocalTime time = local.toLocalTime();
        return !config.workdays().contains(local.getDayOfWeek()) || time.isBefore(config.start()) || !time.isBefore(config.end());
    }

    @Override
    public List<Alert> evaluate(AuditEntry entry) {
        if (!entry.hasFlag(AuditFlag.PHI_ACCESS) || !AuditOutcome.SUCCESS.code().equals(entry.outcome())
                || !isOffHours(entry.occurredAt())) {
            return List.of();
        }
        UUID user = entry.actorUserId();
        if (user != null) {
            Instant previous = lastAlert.get(user);
            if (previous != null && entry.occurredAt().isBefore(previous.plus(config.quietPeriod()))) {
                return List.of();
            }
            if (lastAlert.size() >= 100_000) {
                lastAlert.clear();
            }
            lastAlert.put(user, entry.occurredAt());
        }
        return List.of(new Alert(CODE, AlertSeverity.WARNING, entry.occurredAt(), entry.seq(), user, entry.sourceIp(), 1,
                "PHI access outside working hours: " + entry.action(), entry.objectType(), entry.objectId()));
    }
}
