package org.wardline.storage.audit.alert;

import org.wardline.storage.audit.AuditEntry;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A breach notification deadline coming ({@code incident.deadline.reminder}, written by the server's notification
 * clock 30, 7 and 1 days before it and once it has passed): the security officer must notify or record why not.
 */
public final class IncidentDeadlineRule implements AlertRule {
    public static final String CODE = "incident_deadline";
    public static final String ACTION = "incident.deadline.reminder";
    /** The entry's details are canonical JSON with integer values unquoted. */
    private static final Pattern DAYS = Pattern.compile("\"daysBefore\":(\\d+)");

    @Override
    public String code() {
        return CODE;
    }

    @Override
    public List<Alert> evaluate(AuditEntry entry) {
        if (!entry.action().equals(ACTION)) {
            return List.of();
        }
        Matcher m = DAYS.matcher(entry.details() == null ? "" : entry.details());
        long days = m.find() ? Long.parseLong(m.group(1)) : 0;
        AlertSeverity severity = days >= 30 ? AlertSeverity.WARNING : days >= 7 ? AlertSeverity.HIGH : AlertSeverity.CRITICAL;
        String summary = days == 0 ? "breach notification deadline passed" : "breach notification deadline in " + days + " days";
        return List.of(new Alert(CODE, severity, entry.occurredAt(), entry.seq(), null, null, days, summary,
                entry.objectType(), entry.objectId()));
    }
}
