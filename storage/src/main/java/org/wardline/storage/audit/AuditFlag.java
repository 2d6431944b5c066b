package org.wardline.storage.audit;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Marks an entry for review and for alert rules. Stored as a comma-separated, sorted list of codes
 * ({@code break_glass,phi_access}).
 */
public enum AuditFlag {
    /** The action read, downloaded or exported protected health information. */
    PHI_ACCESS,
    /** The action was done under break-glass emergency access. */
    BREAK_GLASS,
    /** The actor reached data of a care team or program they do not belong to. */
    OUTSIDE_TEAMS;

    /** The stored code, for example {@code phi_access}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The canonical stored form of a set of flags: codes sorted and joined by commas; empty for none. */
    public static String encode(Collection<AuditFlag> flags) {
        return flags.stream().map(AuditFlag::code).sorted().collect(Collectors.joining(","));
    }

    /** Parses a stored flag list; unknown codes are ignored (they cannot come from this code base). */
    public static Set<AuditFlag> decode(String stored) {
        EnumSet<AuditFlag> flags = EnumSet.noneOf(AuditFlag.class);
        if (stored == null || stored.isEmpty()) {
            return flags;
        }
        for (String code : stored.split(",")) {
            for (AuditFlag flag : values()) {
                if (flag.code().equals(code)) {
                    flags.add(flag);
                }
            }
        }
        return flags;
    }
}
