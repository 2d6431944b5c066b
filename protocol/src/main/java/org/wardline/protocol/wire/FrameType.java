package org.wardline.protocol.wire;

/**
 * Every frame type of Wardline messaging protocol version 1 (see protocol/PROTOCOL.md), with its one-byte code
 * and the side that may send it. Codes below {@code 0x80} travel from device to server, the others from server
 * to device.
 */
public enum FrameType {
    /** First frame on a connection; optionally carries the device's inbox cursor (resumption). */
    HELLO(0x01),
    /** Uploads one-time key packages and, optionally, one last-resort package. */
    UPLOAD_KEY_PACKAGES(0x10),
    /** Claims one key package per named device (or per device of each named user). */
    CLAIM_KEY_PACKAGES(0x11),
    /** Registers a new MLS group; the sender becomes its first member at epoch 0. */
    CREATE_CONVERSATION(0x20),
    /** An MLS commit for the group's current epoch, with its Welcome and the membership change it makes. */
    COMMIT(0x21),
    /** An MLS proposal, relayed to every member. */
    PROPOSAL(0x22),
    /** An MLS application message (PrivateMessage), relayed to every member device. */
    SEND(0x23),
    /** The device has durably processed these inbox entries; the server deletes them. */
    ACK(0x30),
    /** A delivery or read receipt for a message, relayed to the message's sender device. */
    RECEIPT(0x31),

    /** The request with this frame's request ID succeeded (and, for writes, is durably stored). */
    OK(0x80),
    /** The request with this frame's request ID failed; carries a stable error code. */
    ERROR(0x81),
    /** Answer to {@link #CLAIM_KEY_PACKAGES}. */
    KEY_PACKAGES(0x82),
    /** One inbox entry pushed to the device; stays in the inbox until the device sends {@link #ACK}. */
    DELIVER(0x83);

    private final int code;

    FrameType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** True for frames a device sends to the server. */
    public boolean fromDevice() {
        return code < 0x80;
    }

    /** The type with this code, or {@code null} for an unknown code. */
    public static FrameType forCode(int code) {
        for (FrameType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
