package org.wardline.clients.messaging;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The messages typed while the device was not connected, durable in the vault (one record, replaced atomically on
 * every change), so they are sent after a restart too: once, in order.
 *
 * <p>An entry is first only its plaintext. Just before it is sent it is sealed: the MLS ciphertext (whose sending
 * generation is already durable) and its epoch are written into the entry, and that ciphertext is what every later
 * attempt sends, after a restart too. The server refuses a ciphertext it already stored as a replay, so an entry
 * sent before a crash that came before its removal is recognised as sent and never stored or shown twice.
 */
final class Outbox {
    static final String KIND = "outbox";
    private static final int FORMAT = 1;

    /** One waiting message; {@code ciphertext} is null until sealed. {@code restored}: read from disk at start. */
    record Entry(UUID localId, ConversationId conversation, byte[] body, long queuedAt, long epoch, byte[] ciphertext,
                 boolean restored) {
        boolean sealed() {
            return ciphertext != null;
        }

        Entry seal(long atEpoch, byte[] sealedCiphertext) {
            return new Entry(localId, conversation, body, queuedAt, atEpoch, sealedCiphertext, restored);
        }

        Entry unsealed() {
            return new Entry(localId, conversation, body, queuedAt, -1, null, restored);
        }
    }

    private final LocalVault vault;
    private final List<Entry> entries = new ArrayList<>();

    private Outbox(LocalVault vault) {
        this.vault = vault;
    }

    /**
     * Opens the outbox saved in {@code vault}. A saved outbox that cannot be read is refused, loudly: the messages
     * in it are not sent, since what they were cannot be known.
     *
     * @throws IllegalStateException when the saved outbox does not decrypt or is malformed
     */
    static Outbox open(LocalVault vault) {
        Outbox outbox = new Outbox(vault);
        if (vault.isDestroyed()) {
            return outbox;
        }
        Optional<byte[]> saved = vault.readReplaced(KIND);
        if (saved.isEmpty()) {
            return outbox;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(saved.get()))) {
            if (in.readByte() != FORMAT) {
                throw new IllegalStateException("the saved outbox has an unknown format");
            }
            for (int i = in.readInt(); i > 0; i--) {
                UUID localId = new UUID(in.readLong(), in.readLong());
                ConversationId conversation = new ConversationId(in.readUTF());
                byte[] body = bytes(in);
                long queuedAt = in.readLong();
                long epoch = in.readLong();
                byte[] ciphertext = in.readBoolean() ? bytes(in) : null;
                outbox.entries.add(new Entry(localId, conversation, body, queuedAt, epoch, ciphertext, true));
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("the saved outbox could not be read", e);
        }
        return outbox;
    }

    /** Queues a message, durably, behind the others. */
    Entry add(ConversationId conversation, byte[] body) {
        Entry e = new Entry(UUID.randomUUID(), conversation, body.clone(), System.currentTimeMillis(), -1, null, false);
        entries.add(e);
        save();
        return e;
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

    /** Replaces an entry by its sealed or unsealed form, durably. */
    void update(Entry e) {
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).localId().equals(e.localId())) {
                entries.set(i, e);
                save();
                return;
            }
        }
        throw new IllegalStateException("no such outbox entry");
    }

    /** Removes a sent (or refused) entry, durably. */
    void remove(Entry e) {
        if (entries.removeIf(x -> x.localId().equals(e.localId()))) {
            save();
        }
    }

    /** Drops every entry of a conversation this device no longer holds, durably; returns them. */
    List<Entry> removeConversation(ConversationId conversation) {
        List<Entry> gone = entries.stream().filter(e -> e.conversation().equals(conversation)).toList();
        if (!gone.isEmpty()) {
            entries.removeAll(gone);
            save();
        }
        return gone;
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
                out.writeLong(e.localId().getMostSignificantBits());
                out.writeLong(e.localId().getLeastSignificantBits());
                out.writeUTF(e.conversation().hex());
                bytes(out, e.body());
                out.writeLong(e.queuedAt());
                out.writeLong(e.epoch());
                out.writeBoolean(e.sealed());
                if (e.sealed()) {
                    bytes(out, e.ciphertext());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        vault.replace(KIND, bytes.toByteArray());
    }

    private static void bytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] bytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new IOException("truncated outbox");
        }
        return in.readNBytes(n);
    }
}
