package org.wardline.protocol.wire;

/** What a {@link FrameType#DELIVER} frame carries (field {@link Tag#KIND}). */
public enum DeliveryKind {
    COMMIT(1), WELCOME(2), PROPOSAL(3), APPLICATION(4), RECEIPT(5);

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
