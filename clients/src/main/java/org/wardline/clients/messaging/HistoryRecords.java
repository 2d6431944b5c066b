package org.wardline.clients.messaging;

import org.wardline.protocol.mls.DeviceUri;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The encoding of a history record inside the vault (a plain field sequence; never Java serialization). Version 2
 * adds when the message disappears after the body; version 1 records (written before) never do.
 */
final class HistoryRecords {
    private HistoryRecords() {
    }

    static byte[] encode(ReceivedMessage m) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(2);
            out.writeUTF(m.conversation().hex());
            out.writeUTF(m.sender().toString());
            out.writeLong(m.messageId());
            out.writeLong(m.sentAt());
            out.writeInt(m.body().length);
            out.write(m.body());
            out.writeLong(m.expiresAt());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static ReceivedMessage decode(byte[] record) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(record))) {
            int version = in.readByte();
            if (version != 1 && version != 2) {
                throw new IOException("unknown history record version");
            }
            ConversationId id = new ConversationId(in.readUTF());
            DeviceUri sender = DeviceUri.parse(in.readUTF()).orElseThrow(() -> new IOException("bad sender"));
            long messageId = in.readLong();
            long sentAt = in.readLong();
            byte[] body = in.readNBytes(in.readInt());
            long expiresAt = version == 2 ? in.readLong() : 0;
            return new ReceivedMessage(id, sender, messageId, sentAt, body, expiresAt);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
