package org.wardline.storage.audit;

import java.util.Locale;

/** What became of the audited request. */
public enum AuditOutcome {
    /** The action was carried out. */
    SUCCESS,
    /** The action was attempted and failed (wrong password, malware found, storage error). */
    FAILURE,
    /** The action was refused by authorization or policy. */
    DENIED;

    /** The stored code: {@code success}, {@code failure} or {@code denied}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException for an unknown code */
    public static AuditOutcome fromCode(String code) {
        for (AuditOutcome outcome : values()) {
            if (outcome.code().equals(code)) {
                return outcome;
            }
        }
        throw new IllegalArgumentException("unknown audit outcome code");
    }
}
