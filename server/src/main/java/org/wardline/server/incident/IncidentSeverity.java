package org.wardline.server.incident;

import org.wardline.storage.audit.alert.AlertSeverity;

import java.util.Locale;
import java.util.Optional;

/** How bad an incident is, set by the security officer (an incident opened from an alert starts from its severity). */
public enum IncidentSeverity {
    LOW, MEDIUM, HIGH, CRITICAL;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<IncidentSeverity> parse(String s) {
        for (IncidentSeverity v : values()) {
            if (v.wireName().equals(s)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    static IncidentSeverity of(AlertSeverity alert) {
        return switch (alert) {
            case WARNING -> MEDIUM;
            case HIGH -> HIGH;
            case CRITICAL -> CRITICAL;
        };
    }
}
