package org.wardline.storage.audit;

/** Why {@link AuditVerifier} rejected the trail. */
public enum AuditProblem {
    /** An entry's contents do not match its stored hash: it was edited after it was written. */
    ENTRY_ALTERED,
    /** A sequence number is missing: entries were deleted. */
    ENTRY_MISSING,
    /** An entry's previous hash is not the hash of the entry before it: entries were deleted, inserted or replaced. */
    CHAIN_BROKEN,
    /** A checkpoint's signed hash differs from the recomputed chain: the entries it covers were rewritten and re-hashed. */
    CHECKPOINT_MISMATCH,
    /** A checkpoint's signature is invalid or made with another key: it was forged or altered. */
    BAD_SIGNATURE,
    /** A checkpoint links to a predecessor that is not there: a checkpoint was deleted. */
    CHECKPOINT_MISSING,
    /** Entries that a checkpoint or the chain head vouches for are gone: the tail was truncated. */
    TAIL_MISSING,
    /** More entries follow the last checkpoint than the checkpoint policy allows: checkpoints were removed. */
    UNSIGNED_TAIL
}
