package org.wardline.server.incident;

import java.util.Locale;
import java.util.Optional;

/** Why an action was taken on an incident: a code, for the same reason as {@link IncidentCategory}. */
public enum IncidentReason {
    LOST_DEVICE, STOLEN_DEVICE, MISDIRECTED_SHARE, SUSPECTED_COMPROMISE, BULK_DOWNLOAD, POLICY_VIOLATION,
    PRESERVE_EVIDENCE, INVESTIGATION, DRILL, OTHER;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<IncidentReason> parse(String s) {
        for (IncidentReason v : values()) {
            if (v.wireName().equals(s)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}
