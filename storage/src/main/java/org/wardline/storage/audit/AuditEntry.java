package org.wardline.storage.audit;

import java.time.Instant;
import java.util.HexFormat;
import java.util.Set;
import java.util.UUID;

/**
 * One audit entry exactly as stored. String fields hold the stored text unparsed, so an entry read back
 * from a tampered table can still be hashed and reported.
 *
 * @param seq           position in the chain, from 1, without gaps
 * @param occurredAt    when it was appended (the database clock, microsecond precision)
 * @param sourceIp      the canonical textual address ({@link java.net.InetAddress#getHostAddress()}), or null
 * @param outcome       {@code success}, {@code failure} or {@code denied}
 * @param flags         {@link AuditFlag#encode} form: sorted codes joined by commas, empty for none
 * @param details       canonical JSON ({@link AuditDetails#toCanonicalJson()})
 * @param previousHash  the entry hash of entry {@code seq - 1} (32 zero bytes for the first entry)
 * @param entryHash     {@link AuditCanonical#entryHash(byte[], AuditEntry)}
 */
public record AuditEntry(
        long seq,
        Instant occurredAt,
        UUID actorUserId,
        UUID actorDeviceId,
        String sourceIp,
        String action,
        String objectType,
        String objectId,
        String outcome,
        String requestId,
        String flags,
        String details,
        byte[] previousHash,
        byte[] entryHash) {

    /** The parsed flags. */
    public Set<AuditFlag> flagSet() {
        return AuditFlag.decode(flags);
    }

    public boolean hasFlag(AuditFlag flag) {
        return flagSet().contains(flag);
    }

    public boolean isAction(AuditAction candidate) {
        return candidate.code().equals(action);
    }

    public String entryHashHex() {
        return HexFormat.of().formatHex(entryHash);
    }

    public String previousHashHex() {
        return HexFormat.of().formatHex(previousHash);
    }

    /** Identifies the entry by position and hash only: no actor, object or details. */
    @Override
    public String toString() {
        return "AuditEntry[seq=" + seq + ", action=" + action + ", hash=" + entryHashHex() + "]";
    }
}
