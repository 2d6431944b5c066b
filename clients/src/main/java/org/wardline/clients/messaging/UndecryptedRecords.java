package org.wardline.clients.messaging;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Messages this device could not decrypt or place, kept in the vault (kind {@code undecrypted}) as they came:
 * conversation, sender, message ID, time sent, the reason, the MLS ciphertext. Nothing is thrown away unsaid.
 * Format: version 1, {@code writeUTF(hex)}, {@code writeUTF(sender)}, {@code writeLong(id)}, {@code writeLong(sentAt)},
 * {@code writeUTF(reason)}, {@code writeInt(n)}, {@code n} bytes.
 */
final class UndecryptedRecords {
    static final String KIND = "undecrypted";

    private UndecryptedRecords() {
    }

    /** One kept message, without its ciphertext. */
    record Kept(ConversationId conversation, String sender, long messageId, long sentAt, String reason) {
    }

    static byte[] encode(ConversationId id, String sender, long messageId, long sentAt, String reason, byte[] ciphertext) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(1);
            out.writeUTF(id.hex());
            out.writeUTF(sender);
            out.writeLong(messageId);
            out.writeLong(sentAt);
            out.writeUTF(reason);
            out.writeInt(ciphertext.length);
            out.write(ciphertext);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static Kept decode(byte[] record) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(record))) {
            if (in.readByte() != 1) {
                throw new IllegalArgumentException("unknown undecrypted record format");
            }
            return new Kept(new ConversationId(in.readUTF()), in.readUTF(), in.readLong(), in.readLong(), in.readUTF());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
