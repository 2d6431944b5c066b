package org.wardline.clients.messaging;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wardline.protocol.mls.DeviceUri;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Each message is held once, however it reaches the device, in a real vault. */
class MessageHistoryTest {
    @TempDir
    Path dir;

    private final List<LocalVault> vaults = new ArrayList<>();
    private final ConversationId conversation = ConversationId.of(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
    private final DeviceUri alice = DeviceUri.of(UUID.randomUUID(), UUID.randomUUID());

    @AfterEach
    void close() {
        vaults.forEach(LocalVault::close);
    }

    private MessageHistory open() {
        LocalVault vault = LocalVault.open(dir.resolve("vault"), "p".toCharArray());
        vaults.add(vault);
        return new MessageHistory(vault);
    }

    private ReceivedMessage message(long id, String text) {
        return new ReceivedMessage(conversation, alice, id, 1_000 + id, text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aMessageDeliveredAgainIsRecordedOnceAlsoAfterAReopen() {
        MessageHistory history = open();
        assertThat(history.holds(conversation, alice, 41)).isFalse();
        assertThat(history.record(message(41, "While you were away"))).isTrue();
        assertThat(history.record(message(41, "While you were away"))).as("delivered again").isFalse();
        history.sync();
        vaults.remove(0).close();

        MessageHistory reopened = open();
        assertThat(reopened.holds(conversation, alice, 41)).isTrue();
        assertThat(reopened.record(message(41, "While you were away"))).isFalse();
        assertThat(reopened.all()).hasSize(1);
    }

    /** Before MessageHistory, records imported from a sibling's history were not known to the delivery check. */
    @Test
    void aMessageFirstImportedFromASiblingsHistoryIsNotRecordedAgainWhenItIsDelivered() {
        MessageHistory history = open();
        assertThat(history.record(message(1, "earlier"))).isTrue(); // the delivery check has read the vault
        int added = history.importRecords(List.of(HistoryRecords.encode(message(2, "from the sibling")),
                HistoryRecords.encode(message(1, "earlier"))));
        assertThat(added).as("only the one not held").isEqualTo(1);
        assertThat(history.holds(conversation, alice, 2)).isTrue();
        assertThat(history.record(message(2, "from the sibling"))).as("then delivered: held already").isFalse();
        assertThat(history.all()).extracting(ReceivedMessage::messageId).containsExactly(1L, 2L);
    }

    @Test
    void ownMessagesStoredBeforeACrashAreKeptEachTime() {
        MessageHistory history = open();
        DeviceUri self = DeviceUri.of(UUID.randomUUID(), UUID.randomUUID());
        history.recordSent(new ReceivedMessage(conversation, self, 0, 5, "a".getBytes(StandardCharsets.UTF_8)));
        history.recordSent(new ReceivedMessage(conversation, self, 0, 6, "b".getBytes(StandardCharsets.UTF_8)));
        assertThat(history.all()).extracting(ReceivedMessage::text).containsExactly("a", "b");
    }

    @Test
    void aMessageWhoseTimeHasComeLeavesTheVaultButStaysKnownSoADeliveryOfItAgainIsNotANewMessage() {
        MessageHistory history = open();
        long now = System.currentTimeMillis();
        history.record(new ReceivedMessage(conversation, alice, 1, now - 5_000, "Bed 4 potassium 5.9".getBytes(StandardCharsets.UTF_8), now - 1));
        history.record(new ReceivedMessage(conversation, alice, 2, now, "later".getBytes(StandardCharsets.UTF_8), now + 60_000));
        history.record(message(3, "stays"));
        history.sync();
        assertThat(history.all()).as("not shown once its time has come, even before it is deleted")
                .extracting(ReceivedMessage::messageId).containsExactly(2L, 3L);

        assertThat(history.expire(now)).as("the next one due").isEqualTo(now + 60_000);
        vaults.remove(0).close();
        MessageHistory reopened = open();
        assertThat(vaults.get(0).read(MessageHistory.KIND).stream().map(r -> new String(r, StandardCharsets.ISO_8859_1)))
                .noneMatch(r -> r.contains("potassium")).anyMatch(r -> r.contains("later")).anyMatch(r -> r.contains("stays"));
        assertThat(reopened.holds(conversation, alice, 1)).as("its key is spent: never decrypted again").isTrue();
        assertThat(reopened.record(new ReceivedMessage(conversation, alice, 1, now - 5_000, new byte[0], now - 1))).isFalse();
        assertThat(reopened.all()).extracting(ReceivedMessage::messageId).containsExactly(2L, 3L);
        assertThat(reopened.expire(now + 60_000)).as("a minute on, nothing else will disappear").isZero();
        assertThat(vaults.get(0).read(MessageHistory.KIND).stream().map(r -> new String(r, StandardCharsets.ISO_8859_1)))
                .noneMatch(r -> r.contains("later")).anyMatch(r -> r.contains("stays"));
    }

    @Test
    void aHistoryRecordWrittenBeforeTimersWereKeptIsReadAsNeverDisappearing() throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            out.writeByte(1);
            out.writeUTF(conversation.hex());
            out.writeUTF(alice.toString());
            out.writeLong(9);
            out.writeLong(1_009);
            out.writeInt(3);
            out.write("old".getBytes(StandardCharsets.UTF_8));
        }
        ReceivedMessage old = HistoryRecords.decode(bytes.toByteArray());
        assertThat(old.text()).isEqualTo("old");
        assertThat(old.expiresAt()).isZero();
        assertThat(HistoryRecords.decode(HistoryRecords.encode(new ReceivedMessage(conversation, alice, 9, 1_009,
                new byte[] {1}, 99_000))).expiresAt()).isEqualTo(99_000);
    }
}
