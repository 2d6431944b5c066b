package org.wardline.server.rbac;

import org.wardline.server.account.Role;

import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import static org.wardline.server.rbac.Permission.*;

/**
 * The one table of which role may do what. Clinical roles see their care teams' messages and files; billing
 * sees billing records; admins manage accounts, teams and devices but can read no message or file; security
 * officers watch the audit trail, review break-glass and approve elevations; auditors read the audit trail
 * and change nothing.
 */
public final class RolePermissions {
    private static final Map<Role, Set<Permission>> TABLE = new EnumMap<>(Role.class);

    static {
        TABLE.put(Role.CLINICIAN, EnumSet.of(MESSAGE_READ, MESSAGE_SEND, FILE_READ, FILE_UPLOAD, SHARE_LINK_CREATE,
                PHI_EXPORT, BREAK_GLASS_INVOKE, ELEVATION_REQUEST));
        // Issue 16: a nurse sending a patient their lab report is the canonical share. Like a clinician, only a file
        // they uploaded themselves, through the external-share DLP policy and with a fresh second factor.
        TABLE.put(Role.NURSE, EnumSet.of(MESSAGE_READ, MESSAGE_SEND, FILE_READ, FILE_UPLOAD, SHARE_LINK_CREATE,
                BREAK_GLASS_INVOKE, ELEVATION_REQUEST));
        TABLE.put(Role.CARE_COORDINATOR, EnumSet.of(MESSAGE_READ, MESSAGE_SEND, FILE_READ, FILE_UPLOAD, SHARE_LINK_CREATE,
                ELEVATION_REQUEST));
        TABLE.put(Role.BILLING, EnumSet.of(BILLING_READ, ELEVATION_REQUEST));
        TABLE.put(Role.ADMIN, EnumSet.of(USER_READ, USER_MANAGE, ROLE_MANAGE, TEAM_MANAGE, TRAINING_RECORD, DEVICE_MANAGE,
                RETENTION_MANAGE, ELEVATION_APPROVE, ACCESS_REVIEW_SIGN_OFF));
        TABLE.put(Role.SECURITY_OFFICER, EnumSet.of(USER_READ, AUDIT_READ, AUDIT_EXPORT, BREAK_GLASS_REVIEW,
                ELEVATION_APPROVE, DEVICE_MANAGE, ALERT_MANAGE, ACCESS_REVIEW_SIGN_OFF, INCIDENT_MANAGE));
        TABLE.put(Role.AUDITOR, EnumSet.of(AUDIT_READ, AUDIT_EXPORT));
        // Its devices connect, publish key packages and receive what held conversations carry; the membership policy
        // lets them in only where a custodian-required hold covers the conversation (ADR 0010).
        TABLE.put(Role.RECORDS_CUSTODIAN, EnumSet.of(MESSAGE_READ, MESSAGE_SEND));
        for (Set<Permission> s : TABLE.values()) {
            s.add(SELF);
        }
    }

    private RolePermissions() {
    }

    public static Set<Permission> of(Role role) {
        return Set.copyOf(TABLE.get(role));
    }

    public static Set<Permission> of(Collection<Role> roles) {
        Set<Permission> all = EnumSet.noneOf(Permission.class);
        roles.forEach(r -> all.addAll(TABLE.get(r)));
        return all;
    }

    /**
     * Permissions that carry no patient record yet disclose PHI: the audit trail names which patient received
     * which link from whom and when (the disclosure report), so reading or exporting it is PHI access.
     */
    private static final Set<Permission> DISCLOSES_PHI = EnumSet.of(AUDIT_READ, AUDIT_EXPORT);

    /**
     * MFA is mandatory for any account whose roles reach PHI, directly or through the audit trail, and for every
     * admin and security officer.
     */
    public static boolean requiresMfa(Collection<Role> roles) {
        return roles.contains(Role.ADMIN) || roles.contains(Role.SECURITY_OFFICER)
                || of(roles).stream().anyMatch(p -> p.phi() || DISCLOSES_PHI.contains(p));
    }
}
