package org.wardline.protocol.wire;

import org.wardline.protocol.ErrorCode;

import java.util.Optional;

/**
 * Why a device acknowledged a delivery without reading it (field {@link Tag#UNREAD} of an ACK): it keeps the message
 * undecrypted, with this reason, and tells the user; the server records it against the device.
 */
public enum UnreadReason {
    /** The message did not decrypt at the epoch it names. */
    UNDECRYPTABLE("undecryptable"),
    /** The message is for an epoch whose keys this device no longer holds. */
    EARLIER_EPOCH("epoch.earlier"),
    /** The device holds no state for the message's conversation. */
    NOT_A_MEMBER("conversation.unknown");

    private final String code;

    UnreadReason(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static Optional<UnreadReason> forCode(String code) {
        for (UnreadReason r : values()) {
            if (r.code.equals(code)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** One {@link Tag#UNREAD} value: a delivery's SEQ and why it was not read. */
    public record Entry(long seq, UnreadReason reason) {
        public String encode() {
            return seq + " " + reason.code;
        }

        /** Parses {@code "<seq> <reason>"}; anything else is {@code protocol.malformed}. */
        public static Entry parse(String value, long requestId) throws WireException {
            int space = value.indexOf(' ');
            if (space <= 0 || space != value.lastIndexOf(' ')) {
                throw new WireException(ErrorCode.PROTOCOL_MALFORMED, requestId, "UNREAD is <seq> <reason>");
            }
            long seq;
            try {
                seq = Long.parseLong(value.substring(0, space));
            } catch (NumberFormatException e) {
                throw new WireException(ErrorCode.PROTOCOL_MALFORMED, requestId, "UNREAD's SEQ is a number");
            }
            Optional<UnreadReason> reason = forCode(value.substring(space + 1));
            if (seq <= 0 || reason.isEmpty()) {
                throw new WireException(ErrorCode.PROTOCOL_MALFORMED, requestId, "UNREAD names a SEQ and a known reason");
            }
            return new Entry(seq, reason.get());
        }
    }
}
