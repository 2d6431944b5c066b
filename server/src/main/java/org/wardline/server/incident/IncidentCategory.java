package org.wardline.server.incident;

import java.util.Locale;
import java.util.Optional;

/**
 * What kind of incident it is. A code, not a description: a free-text summary typed under pressure is exactly
 * where a patient's name would end up, and incidents are kept in plaintext columns (ADR 0020s).
 */
public enum IncidentCategory {
    LOST_DEVICE, MISDIRECTED_SHARE, BULK_DOWNLOAD, FAILED_SIGNIN_BURST, OFF_HOURS_ACCESS, OUTSIDE_TEAMS_ACCESS,
    BREAK_GLASS, SUSPECTED_COMPROMISE, AUDIT_CHAIN_BROKEN, OTHER;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<IncidentCategory> parse(String s) {
        for (IncidentCategory v : values()) {
            if (v.wireName().equals(s)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    /** The category an alert's rule suggests ({@code outside_teams_access} → the same; an unknown rule → other). */
    static IncidentCategory ofAlertRule(String rule) {
        return parse(rule).orElse(OTHER);
    }
}
