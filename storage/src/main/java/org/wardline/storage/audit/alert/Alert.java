package org.wardline.storage.audit.alert;

import java.time.Instant;
import java.util.UUID;

/**
 * A security event for the security officer. It carries identifiers, counts and codes only; whoever
 * reads it looks up the details in the audit trail by {@code seq}.
 *
 * @param rule        the rule's code, for example {@code failed_signin_burst}
 * @param severity    how urgently to act
 * @param occurredAt  the time of the entry that raised it
 * @param seq         that entry's sequence number
 * @param actorUserId the user concerned, or null
 * @param sourceIp    the address concerned, or null
 * @param count       how many entries the rule counted (1 for single-entry rules)
 * @param summary     one line built from codes and numbers, never from free text
 * @param objectType  the type of the object the entry names (a team, a file), or null
 * @param objectId    its identifier (a UUID or short code from the audit entry), or null
 */
public record Alert(
        String rule,
        AlertSeverity severity,
        Instant occurredAt,
        long seq,
        UUID actorUserId,
        String sourceIp,
        long count,
        String summary,
        String objectType,
        String objectId) {

    /** An alert about no particular object (bursts, counts). */
    public Alert(String rule, AlertSeverity severity, Instant occurredAt, long seq, UUID actorUserId, String sourceIp,
                 long count, String summary) {
        this(rule, severity, occurredAt, seq, actorUserId, sourceIp, count, summary, null, null);
    }
}
