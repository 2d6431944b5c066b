package org.wardline.protocol.wire;

/**
 * What a {@link FrameType#DELIVER} frame carries (field {@link Tag#KIND}). {@code REMOVAL_REQUEST} comes from the
 * server itself: the device named in {@link Tag#REMOVED} was wiped and is no longer delivered to; a member should
 * commit its removal from the group (docs/adr/0006-remote-wipe.md). {@code LEGAL_HOLD_CHANGED} also comes from the
 * server: a legal hold that requires the records custodian was placed on or released from this conversation; a member
 * asks for the custodian requirements and adds or removes the custodian's devices (docs/adr/0010).
 */
public enum DeliveryKind {
    COMMIT(1), WELCOME(2), PROPOSAL(3), APPLICATION(4), RECEIPT(5), REMOVAL_REQUEST(6),
    /**
     * An MLS Remove proposal the server signed as the group's external sender for a wiped device (named in
     * {@link Tag#REMOVED}); members verify it against the pinned server key and commit it by reference.
     */
    EXTERNAL_PROPOSAL(12),
    LEGAL_HOLD_CHANGED(16);

    private final int code;

    DeliveryKind(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The kind with this code, or {@code null}. */
    public static DeliveryKind forCode(long code) {
        for (DeliveryKind k : values()) {
            if (k.code == code) {
                return k;
            }
        }
        return null;
    }
}
