package org.wardline.storage.audit;

import java.security.PublicKey;
import java.time.Instant;
import java.util.HexFormat;

/**
 * A signed statement that the chain's entry {@code seq} has hash {@code entryHash}. Checkpoints link to
 * their predecessor through {@code previousSeq}, so removing one in the middle is detectable.
 */
public record AuditCheckpoint(
        long seq,
        byte[] entryHash,
        long previousSeq,
        Instant createdAt,
        String keyId,
        String algorithm,
        byte[] signature) {

    /** The bytes the signature covers ({@link AuditCanonical#checkpointPayload}). */
    public byte[] payload() {
        return AuditCanonical.checkpointPayload(seq, entryHash, previousSeq, createdAt, keyId);
    }

    /** True if the signature is valid for {@code key} and the recorded key ID is that key's. */
    public boolean signatureValid(PublicKey key) {
        return AuditSigner.keyId(key).equals(keyId) && AuditSigner.verify(key, algorithm, payload(), signature);
    }

    @Override
    public String toString() {
        return "AuditCheckpoint[seq=" + seq + ", hash=" + HexFormat.of().formatHex(entryHash) + ", keyId=" + keyId + "]";
    }
}
