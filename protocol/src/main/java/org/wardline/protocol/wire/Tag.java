package org.wardline.protocol.wire;

/**
 * Field tags of protocol version 1. A field is {@code tag (1 byte) | length (4 bytes, big-endian) | value}.
 * Only repeatable tags may occur more than once in a frame; unknown tags are skipped so that later minor
 * versions can add optional fields.
 */
public enum Tag {
    /** MLS group ID (opaque bytes, 1–255). */
    GROUP_ID(0x01, false),
    /** MLS epoch (u64). */
    EPOCH(0x02, false),
    /** An MLS message (MLSMessage encoding, RFC 9420 §6). */
    PAYLOAD(0x03, false),
    /** An MLS Welcome (MLSMessage encoding). */
    WELCOME(0x04, false),
    /** A device URI, {@code urn:wardline:user:<uuid>:device:<uuid>} (UTF-8). */
    DEVICE(0x05, true),
    /** An inbox sequence number (u64). */
    SEQ(0x06, true),
    /** The highest inbox sequence number the device has processed (u64). */
    CURSOR(0x07, false),
    /** A delivery kind or receipt kind (u8, see {@link DeliveryKind} and {@link ReceiptKind}). */
    KIND(0x08, false),
    /** A stable error code, e.g. {@code conversation.epoch_conflict} (UTF-8). */
    ERROR_CODE(0x09, false),
    /** A KeyPackage (MLSMessage encoding). */
    KEY_PACKAGE(0x0A, true),
    /** A last-resort KeyPackage (MLSMessage encoding). */
    LAST_RESORT(0x0B, false),
    /** Server time in epoch milliseconds (u64). */
    SENT_AT(0x0C, false),
    /** The server's ID for a stored message (u64). */
    MESSAGE_ID(0x0D, false),
    /** Device URIs a commit adds. */
    ADDED(0x0E, true),
    /** Device URIs a commit removes. */
    REMOVED(0x0F, true),
    /** A user URI, {@code urn:wardline:user:<uuid>} (UTF-8). */
    USER(0x10, true),
    /** Disappearing-message timer in seconds (u64); 0 or absent means the retention policy's default. */
    TTL(0x11, false),
    /** The device that sent a delivered message (UTF-8 device URI). */
    SENDER(0x12, false),
    /** How many inbox entries are waiting (u64). */
    PENDING(0x13, false),
    /** Protocol version a client speaks (u8), in HELLO. */
    VERSION(0x14, false),
    /**
     * On UPLOAD_KEY_PACKAGES, u64 1: discard this device's earlier one-time key packages first (a restarted client
     * has lost their private keys, so they could only produce Welcomes it cannot read).
     */
    REPLACE(0x15, false),
    /**
     * On ACK, one per acknowledged delivery the device kept without reading it: {@code "<seq> <reason>"} (UTF-8), the
     * SEQ one of the frame's own and the reason one of {@link UnreadReason}'s codes, so the server can tell a message
     * kept undecrypted from one read.
     */
    UNREAD(0x16, true),
    /**
     * On DELIVER of an application message in a conversation with a disappearing-message timer, and on the OK to its
     * SEND: when the message disappears, ms since 1970 (u64). The server deletes it then; every client deletes its own
     * copy then too, and shows nothing of it once the time has passed.
     */
    EXPIRES_AT(0x17, false),
    /**
     * On COMMIT, one per leaf of the group after the commit: {@code "<leaf index> <device URI>"} (UTF-8), so the
     * server can name a wiped device's leaf in an external Remove proposal (docs/adr/0006-remote-wipe.md).
     */
    ROSTER(0x30, true),
    /**
     * On CREATE_CONVERSATION, the RFC 9420 ExternalSender struct the new group's {@code external_senders}
     * extension holds: the server's external-sender key, which the server checks is its own.
     */
    EXTERNAL_SENDER(0x31, false);

    private final int code;
    private final boolean repeatable;

    Tag(int code, boolean repeatable) {
        this.code = code;
        this.repeatable = repeatable;
    }

    public int code() {
        return code;
    }

    public boolean repeatable() {
        return repeatable;
    }

    /** The tag with this code, or {@code null} when this version does not know it. */
    public static Tag forCode(int code) {
        for (Tag t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
