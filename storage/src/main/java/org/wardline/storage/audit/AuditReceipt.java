package org.wardline.storage.audit;

import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Confirms an appended entry: its place in the chain, its time and hash, and the checkpoint written in
 * the same transaction, if one fell due.
 */
public record AuditReceipt(long seq, Instant occurredAt, byte[] entryHash, Optional<AuditCheckpoint> checkpoint) {
    public String entryHashHex() {
        return HexFormat.of().formatHex(entryHash);
    }

    @Override
    public String toString() {
        return "AuditReceipt[seq=" + seq + ", hash=" + entryHashHex() + "]";
    }
}
