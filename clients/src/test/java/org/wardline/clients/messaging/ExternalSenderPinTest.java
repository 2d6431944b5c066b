package org.wardline.clients.messaging;

import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wardline.protocol.mls.ExternalSenderKey;
import org.wardline.protocol.mls.ExternalSenderSigner;
import org.wardline.protocol.mls.MlsSuites;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExternalSenderPinTest {
    private static final char[] PASS = "correct horse".toCharArray();

    @TempDir
    Path dir;

    private static ExternalSenderKey key() {
        AsymmetricCipherKeyPair pair = ExternalSenderSigner.generateKeyPair(MlsSuites.DEFAULT_ID);
        return ExternalSenderSigner.of(MlsSuites.DEFAULT_ID, pair.getPrivate(), pair.getPublic()).key();
    }

    @Test
    void theFirstKeyIsPinnedAcrossRestartsAndAChangedKeyIsRefused() {
        ExternalSenderKey first = key();
        ExternalSenderKey other = key();
        try (LocalVault vault = LocalVault.open(dir, PASS)) {
            assertThat(ExternalSenderPin.pinned(vault)).isEmpty();
            assertThat(ExternalSenderPin.pin(vault, first)).isEqualTo(first);
            assertThat(ExternalSenderPin.pin(vault, first)).as("the same key again").isEqualTo(first);
        }
        try (LocalVault vault = LocalVault.open(dir, PASS)) {
            assertThat(ExternalSenderPin.pinned(vault)).contains(first);
            assertThatThrownBy(() -> ExternalSenderPin.pin(vault, other)).isInstanceOfSatisfying(MessagingException.class,
                    e -> assertThat(e.code()).isEqualTo(ExternalSenderPin.CHANGED));
            assertThat(ExternalSenderPin.pinned(vault)).as("the pin is unchanged").contains(first);
        }
    }
}
