package org.wardline.clients.messaging;

import org.wardline.protocol.mls.DeviceUri;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The messages one device sent and received, kept in its encrypted vault ({@link HistoryRecords} under
 * {@link #KIND}), and which of them it holds: a message is one conversation, sender and server message ID, and is
 * recorded once whichever way it came (delivered, delivered again after a crash, or sent by a sibling device's
 * history transfer). Runs on the client's actor thread.
 *
 * <p>A message of a conversation with a disappearing-message timer is not shown once its time has come, and
 * {@link #expire} then rewrites the history without its body: what is kept (conversation, sender, message ID and
 * times) only lets a delivery of it again be told apart from a new message.
 */
final class MessageHistory {
    static final String KIND = "history";

    private final LocalVault vault;
    /** Keys of the messages held, read from the vault on first use. */
    private Set<String> keys;

    MessageHistory(LocalVault vault) {
        this.vault = vault;
    }

    /** Whether this message is held already (its key is then spent: it is never decrypted again). */
    boolean holds(ConversationId conversation, DeviceUri sender, long messageId) {
        return keys().contains(key(conversation, sender, messageId));
    }

    /** Records the message unless it is held already; true when it was recorded now. */
    boolean record(ReceivedMessage m) {
        if (!keys().add(key(m.conversation(), m.sender(), m.messageId()))) {
            return false;
        }
        if (!vault.isDestroyed()) {
            vault.append(KIND, HistoryRecords.encode(m));
        }
        return true;
    }

    /** Records this device's own message as sent (its message ID 0 when the server had stored it before a crash). */
    void recordSent(ReceivedMessage m) {
        if (m.messageId() == 0) {
            if (!vault.isDestroyed()) {
                vault.append(KIND, HistoryRecords.encode(m));
            }
            return;
        }
        record(m);
    }

    /** Records another device's history records, those not held yet; returns how many were new. */
    int importRecords(List<byte[]> records) {
        int added = 0;
        for (byte[] r : records) {
            if (record(HistoryRecords.decode(r))) {
                added++;
            }
        }
        return added;
    }

    /** Whether an outbox entry was recorded as sent already, before a crash that came before its removal. */
    boolean holdsSent(Outbox.Entry entry, DeviceUri self) {
        return !vault.isDestroyed() && vault.read(KIND).stream().map(HistoryRecords::decode)
                .anyMatch(m -> m.conversation().equals(entry.conversation()) && m.sender().equals(self)
                        && m.sentAt() >= entry.queuedAt() && java.util.Arrays.equals(m.body(), entry.body()));
    }

    /** The messages held whose time has not come. */
    List<ReceivedMessage> all() {
        long now = System.currentTimeMillis();
        return stored().stream().filter(m -> !m.expiredAt(now)).toList();
    }

    private List<ReceivedMessage> stored() {
        return vault.read(KIND).stream().map(HistoryRecords::decode).toList();
    }

    /**
     * Removes the body of every message whose time has come at {@code now}, durably; returns when the next message
     * held disappears (ms since 1970), or 0 when none will.
     */
    long expire(long now) {
        if (vault.isDestroyed()) {
            return 0;
        }
        List<ReceivedMessage> stored = stored();
        boolean due = stored.stream().anyMatch(m -> m.expiredAt(now) && m.body().length > 0);
        if (due) {
            vault.rewrite(KIND, stored.stream().map(m -> HistoryRecords.encode(m.expiredAt(now)
                    ? new ReceivedMessage(m.conversation(), m.sender(), m.messageId(), m.sentAt(), new byte[0], m.expiresAt())
                    : m)).toList());
        }
        return stored.stream().filter(m -> m.expiresAt() != 0 && !m.expiredAt(now)).mapToLong(ReceivedMessage::expiresAt)
                .min().orElse(0);
    }

    /** The records as stored, for a history transfer; none carries the body of a message whose time has come. */
    List<byte[]> records() {
        expire(System.currentTimeMillis());
        return vault.read(KIND);
    }

    /** Makes what was recorded durable. */
    void sync() {
        vault.sync(KIND);
    }

    private Set<String> keys() {
        if (keys == null) {
            keys = new HashSet<>();
            if (!vault.isDestroyed()) {
                stored().forEach(m -> keys.add(key(m.conversation(), m.sender(), m.messageId())));
            }
        }
        return keys;
    }

    private static String key(ConversationId id, DeviceUri sender, long messageId) {
        return id.hex() + "/" + sender + "/" + messageId;
    }
}
