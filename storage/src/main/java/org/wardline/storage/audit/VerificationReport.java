package org.wardline.storage.audit;

import java.util.Optional;

/**
 * The outcome of {@link AuditVerifier#verify}: how much was checked and, if the trail is not intact,
 * the first problem found. Contains sequence numbers only, never entry contents.
 *
 * @param entriesChecked     entries whose hash was recomputed (up to the failure, if any)
 * @param checkpointsChecked checkpoints whose signature and hash were checked
 * @param lastSeq            the last entry that verified
 * @param lastCheckpointSeq  the last checkpoint that verified (0 for none)
 * @param failure            the first problem, if any
 */
public record VerificationReport(
        long entriesChecked,
        long checkpointsChecked,
        long lastSeq,
        long lastCheckpointSeq,
        Optional<Failure> failure) {

    /**
     * The first problem found.
     *
     * @param problem  its kind
     * @param seq      the first entry (or checkpoint, for checkpoint problems) that can no longer be trusted
     * @param detail   a sentence for the operator, with sequence numbers only
     */
    public record Failure(AuditProblem problem, long seq, String detail) {
    }

    public boolean valid() {
        return failure.isEmpty();
    }

    /** Entries after the last verified checkpoint: intact as a chain, but not yet signed. */
    public long unsignedEntries() {
        return lastSeq - lastCheckpointSeq;
    }

    /** A few lines an operator can read. */
    public String summary() {
        if (failure.isPresent()) {
            Failure f = failure.get();
            return "AUDIT TRAIL BROKEN: " + f.problem() + " at seq " + f.seq() + "\n"
                    + f.detail() + "\n"
                    + "verified before the failure: " + entriesChecked + " entries, " + checkpointsChecked
                    + " checkpoints (last good checkpoint at seq " + lastCheckpointSeq + ")";
        }
        String text = "audit trail intact: " + entriesChecked + " entries, " + checkpointsChecked
                + " signed checkpoints, last entry seq " + lastSeq;
        if (unsignedEntries() > 0) {
            text += "\n" + unsignedEntries() + " entries after the last checkpoint (seq " + lastCheckpointSeq
                    + ") are chained but not yet signed";
        }
        return text;
    }

    @Override
    public String toString() {
        return summary();
    }
}
