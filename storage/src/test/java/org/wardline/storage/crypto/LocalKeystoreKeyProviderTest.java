package org.wardline.storage.crypto;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wardline.protocol.Secret;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalKeystoreKeyProviderTest implements KeyProviderContract {
    static final Secret<char[]> PASSPHRASE = Secret.of("correct horse battery staple".toCharArray());

    @TempDir
    Path dir;

    private Path file;
    private LocalKeystoreKeyProvider provider;

    @BeforeEach
    void createKeystore() {
        file = dir.resolve("keystore.bin");
        provider = LocalKeystoreKeyProvider.create(file, PASSPHRASE, KdfParameters.MINIMUM);
    }

    @Override
    public KeyProvider testee() {
        return provider;
    }

    @Test
    void reopeningWithThePassphraseRestoresEveryVersion() {
        WrappedDataKey old = provider.wrap(DATA_KEY, OBJECT_A);
        KekId second = provider.createKekVersion();

        LocalKeystoreKeyProvider reopened = LocalKeystoreKeyProvider.open(file, PASSPHRASE);

        assertThat(reopened.kekIds()).isEqualTo(provider.kekIds());
        assertThat(reopened.activeKek()).isEqualTo(second);
        assertThat(reopened.unwrap(old, OBJECT_A)).isEqualTo(DATA_KEY);
    }

    @Test
    void aKeyAddedByAnotherProcessIsPickedUpOnFirstUse() {
        LocalKeystoreKeyProvider rotator = LocalKeystoreKeyProvider.open(file, PASSPHRASE);
        KekId added = rotator.createKekVersion();
        WrappedDataKey rewrapped = rotator.wrap(added, DATA_KEY, OBJECT_A);

        assertThat(provider.kekIds()).doesNotContain(added);
        assertThat(provider.unwrap(rewrapped, OBJECT_A)).isEqualTo(DATA_KEY);
        assertThat(provider.kekIds()).contains(added);
        assertThatThrownBy(() -> provider.unwrap(new WrappedDataKey(new KekId("no-such-kek"), rewrapped.ciphertext()), OBJECT_A))
                .isInstanceOf(UnknownKekException.class);
    }

    @Test
    void aWrongPassphraseIsRefused() {
        assertThatThrownBy(() -> LocalKeystoreKeyProvider.open(file, Secret.of("not the passphrase!".toCharArray())))
                .isInstanceOf(KeyProviderException.class)
                .hasMessageContaining("wrong passphrase or damaged file")
                .hasMessageNotContaining("not the passphrase");
    }

    @Test
    void aDamagedFileIsRefused() throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 3] ^= 0x40;
        Files.write(file, bytes);
        assertThatThrownBy(() -> LocalKeystoreKeyProvider.open(file, PASSPHRASE))
                .isInstanceOf(KeyProviderException.class);

        Files.writeString(file, "not a keystore at all");
        assertThatThrownBy(() -> LocalKeystoreKeyProvider.open(file, PASSPHRASE))
                .isInstanceOf(KeyProviderException.class).hasMessageContaining("not a Wardline keystore");
    }

    @Test
    void changedKdfParametersInTheHeaderAreDetected() throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        bytes[8 + 7] ^= 1; // iterations field: still valid, but no longer what the keyset was sealed with
        Files.write(file, bytes);
        assertThatThrownBy(() -> LocalKeystoreKeyProvider.open(file, PASSPHRASE))
                .isInstanceOf(KeyProviderException.class);
    }

    @Test
    void theFileIsOwnerOnlyAndCreationNeverOverwrites() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThatThrownBy(() -> LocalKeystoreKeyProvider.create(file, PASSPHRASE, KdfParameters.MINIMUM))
                .isInstanceOf(KeyProviderException.class).hasMessageContaining("already exists");
        assertThat(LocalKeystoreKeyProvider.openOrCreate(file, PASSPHRASE, KdfParameters.MINIMUM).kekIds())
                .isEqualTo(provider.kekIds());
    }

    @Test
    void shortPassphrasesAndWeakKdfSettingsAreRefused() {
        assertThatThrownBy(() -> LocalKeystoreKeyProvider.create(dir.resolve("other.bin"),
                Secret.of("short".toCharArray()), KdfParameters.MINIMUM))
                .isInstanceOf(KeyProviderException.class).hasMessageContaining("at least 16");
        assertThatThrownBy(() -> new KdfParameters(1024, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void thePassphraseComesFromTheEnvironmentAndAMissingOneIsNamed() {
        assertThat(LocalKeystoreKeyProvider.passphraseFrom(Map.of("WL_PASS", "from the environment"), "WL_PASS")
                .reveal()).isEqualTo("from the environment".toCharArray());
        assertThatThrownBy(() -> LocalKeystoreKeyProvider.passphraseFrom(Map.of(), "WL_PASS"))
                .isInstanceOf(KeyProviderException.class).hasMessageContaining("WL_PASS");
        assertThat(LocalKeystoreKeyProvider.passphraseFrom(Map.of("WL_PASS", "x"), "WL_PASS").toString())
                .isEqualTo("[REDACTED]");
    }
}
