package org.wardline.server.delivery;

import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import org.wardline.protocol.mls.DeviceUri;
import org.wardline.protocol.wire.DeliveryKind;
import org.wardline.protocol.wire.Frame;
import org.wardline.protocol.wire.FrameType;
import org.wardline.protocol.wire.Tag;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** One entry of a device's inbox, as pushed in a DELIVER frame. Holds ciphertext only; toString() omits it. */
record InboxEntry(long seq, UUID recipient, DeliveryKind kind, byte[] groupId, DeviceUri sender, long messageId,
                  long epoch, byte[] payload, List<String> added, List<String> removed, long sentAt, Long expiresAt) {

    InboxEntry(long seq, UUID recipient, DeliveryKind kind, byte[] groupId, DeviceUri sender, long messageId,
               long epoch, byte[] payload, List<String> added, List<String> removed, long sentAt) {
        this(seq, recipient, kind, groupId, sender, messageId, epoch, payload, added, removed, sentAt, null);
    }

    /** Maps a row of {@link InboxStore#SELECT_ENTRIES}. */
    static InboxEntry fromRow(Row row) {
        Long ref = row.getLong("ref_message_id");
        return new InboxEntry(row.getLong("seq"), row.getUUID("device_id"),
                DeliveryKind.forCode(row.getShort("kind")), row.getBuffer("group_id").getBytes(),
                DeviceUri.of(row.getUUID("sender_user"), row.getUUID("sender_device")),
                ref != null ? ref : row.getLong("message_id"), row.getLong("epoch"),
                row.getBuffer("payload").getBytes(), Arrays.asList(row.getArrayOfStrings("added")),
                Arrays.asList(row.getArrayOfStrings("removed")), row.getLong("sent_at"), row.getLong("expires_at"));
    }

    Frame toFrame() {
        return withoutSeq().with(Tag.SEQ, seq);
    }

    /** The DELIVER frame without its SEQ: the same for every recipient of one message. */
    Frame withoutSeq() {
        Frame f = Frame.of(FrameType.DELIVER, 0)
                .with(Tag.KIND, kind.code())
                .with(Tag.GROUP_ID, groupId)
                .with(Tag.SENDER, sender.toString())
                .with(Tag.MESSAGE_ID, messageId)
                .with(Tag.EPOCH, epoch)
                .with(Tag.SENT_AT, sentAt)
                .withEach(Tag.ADDED, added)
                .withEach(Tag.REMOVED, removed);
        if (expiresAt != null) {
            f = f.with(Tag.EXPIRES_AT, expiresAt);
        }
        return kind == DeliveryKind.WELCOME ? f.with(Tag.WELCOME, payload) : f.with(Tag.PAYLOAD, payload);
    }

    /** Whether {@code other} delivers the same stored message (so the same frame but for the SEQ). */
    boolean sameMessageAs(InboxEntry other) {
        return other != null && other.kind == kind && other.messageId == messageId && other.payload == payload
                && other.sentAt == sentAt && java.util.Objects.equals(other.expiresAt, expiresAt);
    }

    /**
     * The encoded DELIVER frame for {@code seq}, from {@code encodedWithoutSeq} (an encoding of {@link #withoutSeq()}):
     * the SEQ field goes right after the header, so a message fanned out to many devices is encoded once.
     */
    static Buffer deliverFrame(byte[] encodedWithoutSeq, long seq) {
        return Buffer.buffer(encodedWithoutSeq.length + SEQ_FIELD_BYTES)
                .appendBytes(encodedWithoutSeq, 0, FRAME_HEADER_BYTES)
                .appendByte((byte) Tag.SEQ.code())
                .appendInt(Long.BYTES)
                .appendLong(seq)
                .appendBytes(encodedWithoutSeq, FRAME_HEADER_BYTES, encodedWithoutSeq.length - FRAME_HEADER_BYTES);
    }

    /** Magic, version, type, reserved, request ID (protocol/PROTOCOL.md); fields follow. */
    private static final int FRAME_HEADER_BYTES = 8;
    private static final int SEQ_FIELD_BYTES = 1 + Integer.BYTES + Long.BYTES;

    @Override
    public String toString() {
        return "InboxEntry[" + seq + " " + kind + " for " + recipient + "]";
    }
}
