package org.wardline.server.delivery;

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
                  long epoch, byte[] payload, List<String> added, List<String> removed, long sentAt) {

    /** Maps a row of {@link InboxStore#SELECT_ENTRIES}. */
    static InboxEntry fromRow(Row row) {
        Long ref = row.getLong("ref_message_id");
        return new InboxEntry(row.getLong("seq"), row.getUUID("device_id"),
                DeliveryKind.forCode(row.getShort("kind")), row.getBuffer("group_id").getBytes(),
                DeviceUri.of(row.getUUID("sender_user"), row.getUUID("sender_device")),
                ref != null ? ref : row.getLong("message_id"), row.getLong("epoch"),
                row.getBuffer("payload").getBytes(), Arrays.asList(row.getArrayOfStrings("added")),
                Arrays.asList(row.getArrayOfStrings("removed")), row.getLong("sent_at"));
    }

    Frame toFrame() {
        Frame f = Frame.of(FrameType.DELIVER, 0)
                .with(Tag.SEQ, seq)
                .with(Tag.KIND, kind.code())
                .with(Tag.GROUP_ID, groupId)
                .with(Tag.SENDER, sender.toString())
                .with(Tag.MESSAGE_ID, messageId)
                .with(Tag.EPOCH, epoch)
                .with(Tag.SENT_AT, sentAt)
                .withEach(Tag.ADDED, added)
                .withEach(Tag.REMOVED, removed);
        return kind == DeliveryKind.WELCOME ? f.with(Tag.WELCOME, payload) : f.with(Tag.PAYLOAD, payload);
    }

    @Override
    public String toString() {
        return "InboxEntry[" + seq + " " + kind + " for " + recipient + "]";
    }
}
