package org.wardline.server.incident;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Where an incident stands, in the order the HIPAA breach guidance walks: open (reported, being contained),
 * contained (the exposure is stopped), assessed (the breach risk assessment is recorded), notified (the
 * notifications the assessment requires were sent), closed. The allowed moves are forward only (ADR 0020s): an
 * incident that needs nothing contained may go from open to assessed, and one assessed as no breach may close
 * without notifications; nothing reopens a closed incident (open a new one that refers to it).
 */
public enum IncidentStatus {
    OPEN, CONTAINED, ASSESSED, NOTIFIED, CLOSED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<IncidentStatus> parse(String s) {
        for (IncidentStatus v : values()) {
            if (v.wireName().equals(s)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    /** The statuses this one may move to. */
    public Set<IncidentStatus> next() {
        return switch (this) {
            case OPEN -> EnumSet.of(CONTAINED, ASSESSED);
            case CONTAINED -> EnumSet.of(ASSESSED);
            case ASSESSED -> EnumSet.of(NOTIFIED, CLOSED);
            case NOTIFIED -> EnumSet.of(CLOSED);
            case CLOSED -> EnumSet.noneOf(IncidentStatus.class);
        };
    }

    public boolean mayMoveTo(IncidentStatus to) {
        return next().contains(to);
    }

    /** Containment actions are taken while the incident is open or contained, and also after it, until it closes. */
    public boolean acceptsActions() {
        return this != CLOSED;
    }
}
