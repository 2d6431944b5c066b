package org.wardline.protocol.mls;

/**
 * A member refused an external Remove proposal (docs/adr/0006-remote-wipe.md). The message names the rule
 * broken; {@link #reason()} is stable for callers and tests.
 */
public final class RejectedProposalException extends Exception {
    /** Why the proposal was refused. */
    public enum Reason {
        /** Not a PublicMessage Remove proposal from external sender 0, or for another group. */
        MALFORMED,
        /** The group has no {@code external_senders} extension, or it holds another key than the pinned server key. */
        NO_EXTERNAL_SENDER,
        /** The signature does not verify against the group's external sender key. */
        FORGED,
        /** The removed leaf's credential is not the device the server named. */
        WRONG_LEAF,
        /** For an epoch the group has left: a replay, or superseded by a commit. */
        STALE_EPOCH
    }

    private final Reason reason;

    public RejectedProposalException(Reason reason, String rule) {
        super(rule);
        this.reason = reason;
    }

    public RejectedProposalException(Reason reason, String rule, Throwable cause) {
        super(rule, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
