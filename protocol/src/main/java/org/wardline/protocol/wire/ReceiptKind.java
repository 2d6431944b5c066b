package org.wardline.protocol.wire;

/** The kind of a {@link FrameType#RECEIPT} (field {@link Tag#KIND}). */
public enum ReceiptKind {
    DELIVERED(1), READ(2);

    private final int code;

    ReceiptKind(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The kind with this code, or {@code null}. */
    public static ReceiptKind forCode(long code) {
        for (ReceiptKind k : values()) {
            if (k.code == code) {
                return k;
            }
        }
        return null;
    }
}
