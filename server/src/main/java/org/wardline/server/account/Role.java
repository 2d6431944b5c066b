package org.wardline.server.account;

import java.util.Locale;
import java.util.Optional;

/** The roles a Wardline account can hold; what each may do is {@link org.wardline.server.rbac.RolePermissions}. */
public enum Role {
    CLINICIAN, NURSE, CARE_COORDINATOR, BILLING, ADMIN, SECURITY_OFFICER, AUDITOR,
    /** Holds the keys of the legal-hold member devices (ADR 0010); cannot add anyone to a conversation. */
    RECORDS_CUSTODIAN;

    /** The name stored in the database and sent on the wire: {@code care_coordinator}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> parse(String s) {
        for (Role r : values()) {
            if (r.wireName().equals(s)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
