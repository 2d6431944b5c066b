package org.wardline.clients.messaging;

import org.wardline.protocol.mls.DeviceUri;
import org.wardline.protocol.wire.ReceiptKind;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Delivery and read receipts the server did not take (rate-limited past the retry budget, or the connection was
 * lost), durable in the vault (one record, replaced atomically), to be sent later, after a restart too, rather
 * than dropped. A receipt is small and carries no message text: the conversation, the message ID, its sender and
 * the kind. At most {@link #MAX} are kept; beyond that the oldest delivery receipt gives way (a read receipt of the
 * same message says more), which {@link #add} reports.
 */
final class PendingReceipts {
    static final String KIND = "receipts";
    static final int MAX = 10_000;
    private static final int FORMAT = 1;

    record Entry(ConversationId conversation, long messageId, DeviceUri sender, ReceiptKind kind) {
    }

    private final LocalVault vault;
    private final List<Entry> entries = new ArrayList<>();

    private PendingReceipts(LocalVault vault) {
        this.vault = vault;
    }

    /**
     * Opens the receipts saved in {@code vault}; ones that cannot be read are refused (never sent).
     *
     * @throws IllegalStateException when the saved record does not decrypt or is malformed
     */
    static PendingReceipts open(LocalVault vault) {
        PendingReceipts r = new PendingReceipts(vault);
        if (vault.isDestroyed()) {
            return r;
        }
        Optional<byte[]> saved = vault.readReplaced(KIND);
        if (saved.isEmpty()) {
            return r;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(saved.get()))) {
            if (in.readByte() != FORMAT) {
                throw new IllegalStateException("the saved receipts have an unknown format");
            }
            for (int i = in.readInt(); i > 0; i--) {
                ConversationId conversation = new ConversationId(in.readUTF());
                long messageId = in.readLong();
                DeviceUri sender = DeviceUri.parse(in.readUTF()).orElseThrow(() -> new IOException("not a device"));
                ReceiptKind kind = ReceiptKind.forCode(in.readUnsignedByte());
                if (kind == null) {
                    throw new IOException("unknown receipt kind");
                }
                r.entries.add(new Entry(conversation, messageId, sender, kind));
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("the saved receipts could not be read", e);
        }
        return r;
    }

    /** Keeps a receipt, durably; false when the oldest delivery receipt had to give way to it. */
    boolean add(Entry e) {
        if (entries.contains(e)) {
            return true;
        }
        boolean room = true;
        if (entries.size() >= MAX) {
            room = false;
            int oldestDelivered = -1;
            for (int i = 0; i < entries.size(); i++) {
                if (entries.get(i).kind() == ReceiptKind.DELIVERED) {
                    oldestDelivered = i;
                    break;
                }
            }
            entries.remove(oldestDelivered >= 0 ? oldestDelivered : 0);
        }
        entries.add(e);
        save();
        return room;
    }

    Optional<Entry> first() {
        return entries.isEmpty() ? Optional.empty() : Optional.of(entries.get(0));
    }

    int size() {
        return entries.size();
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Removes a sent (or definitively refused) receipt, durably. */
    void remove(Entry e) {
        if (entries.remove(e)) {
            save();
        }
    }

    private void save() {
        if (vault.isDestroyed()) {
            return;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeInt(entries.size());
            for (Entry e : entries) {
                out.writeUTF(e.conversation().hex());
                out.writeLong(e.messageId());
                out.writeUTF(e.sender().toString());
                out.writeByte(e.kind().code());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        vault.replace(KIND, bytes.toByteArray());
    }
}
