package org.wardline.clients.messaging;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wardline.protocol.mls.DeviceUri;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalVaultTest {
    @TempDir
    Path dir;

    private static final char[] PASS = "correct horse".toCharArray();

    @Test
    void recordsAreEncryptedAtRestAndReadBackInOrder() throws Exception {
        try (LocalVault vault = LocalVault.open(dir, PASS)) {
            vault.append("history", "BP 120/80 for bed 4".getBytes(StandardCharsets.UTF_8));
            vault.append("history", "second".getBytes(StandardCharsets.UTF_8));
        }
        String raw = new String(Files.readAllBytes(dir.resolve("history.vault")), StandardCharsets.ISO_8859_1);
        assertThat(raw).doesNotContain("BP 120/80").doesNotContain("second");
        try (LocalVault again = LocalVault.open(dir, PASS)) {
            assertThat(again.read("history")).extracting(b -> new String(b, StandardCharsets.UTF_8))
                    .containsExactly("BP 120/80 for bed 4", "second");
        }
    }

    @Test
    void aWrongPassphraseOrATamperedRecordIsRefused() throws Exception {
        try (LocalVault vault = LocalVault.open(dir, PASS)) {
            vault.append("history", new byte[] {1, 2, 3});
        }
        assertThatThrownBy(() -> LocalVault.open(dir, "wrong".toCharArray())).isInstanceOf(IllegalStateException.class);
        byte[] file = Files.readAllBytes(dir.resolve("history.vault"));
        file[file.length - 1] ^= 1;
        Files.write(dir.resolve("history.vault"), file);
        try (LocalVault vault = LocalVault.open(dir, PASS)) {
            assertThatThrownBy(() -> vault.read("history")).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void destroyErasesTheKeySoNothingCanBeReadAgain() throws Exception {
        LocalVault vault = LocalVault.open(dir, PASS);
        vault.append("history", new byte[] {42});
        Path copy = Files.copy(dir.resolve("history.vault"), dir.resolve("stolen-copy"));
        vault.destroy();
        assertThat(vault.isDestroyed()).isTrue();
        assertThat(dir.resolve("vault.key")).doesNotExist();
        assertThatThrownBy(() -> vault.append("history", new byte[] {1})).isInstanceOf(IllegalStateException.class);
        Files.move(copy, dir.resolve("history.vault"));
        try (LocalVault fresh = LocalVault.open(dir, PASS)) {
            assertThatThrownBy(() -> fresh.read("history")).as("a new key cannot open old records")
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void historyRecordsRoundTrip() {
        ReceivedMessage m = new ReceivedMessage(new ConversationId("0a0b"), DeviceUri.of(UUID.randomUUID(), UUID.randomUUID()),
                7, 1234, "hello".getBytes(StandardCharsets.UTF_8));
        ReceivedMessage back = HistoryRecords.decode(HistoryRecords.encode(m));
        assertThat(back.conversation()).isEqualTo(m.conversation());
        assertThat(back.sender()).isEqualTo(m.sender());
        assertThat(back.text()).isEqualTo("hello");
        assertThat(m.toString()).doesNotContain("hello");
    }
}
