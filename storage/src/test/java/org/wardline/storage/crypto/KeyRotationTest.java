package org.wardline.storage.crypto;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.wardline.embedded.junit.PostgresExtension;
import org.wardline.embedded.junit.S3Extension;
import org.wardline.storage.StorageTestEnvironment;
import org.wardline.storage.blob.BlobBucket;
import org.wardline.storage.blob.BlobId;
import org.wardline.storage.blob.BlobStoreContract;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyRotationTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();
    @RegisterExtension
    final S3Extension s3 = new S3Extension();
    @TempDir
    Path keystoreDir;

    private StorageTestEnvironment env;
    private final Map<BlobId, byte[]> objects = new LinkedHashMap<>();

    @BeforeEach
    void start() {
        env = new StorageTestEnvironment(PG, s3, keystoreDir);
    }

    @AfterEach
    void stop() {
        env.close();
    }

    private void putObjects(int count) {
        for (int i = 0; i < count; i++) {
            BlobId id = BlobId.random();
            byte[] data = BlobStoreContract.randomBytes(50_000 + i, i);
            env.encrypted.put(BlobBucket.COMMITTED, id, new ByteArrayInputStream(data));
            objects.put(id, data);
        }
    }

    private void assertEveryObjectDecrypts() {
        objects.forEach((id, data) -> {
            assertThat(BlobStoreContract.readAll(env.encrypted.get(BlobBucket.COMMITTED, id))).isEqualTo(data);
            assertThat(BlobStoreContract.readAll(env.encrypted.getRange(BlobBucket.COMMITTED, id, 40_000, 100)))
                    .hasSize(100);
        });
    }

    @Test
    void rotationRewrapsEveryLiveKeyWithoutTouchingObjectsAndTheOldKekCanBeRetired() throws Exception {
        putObjects(7);
        BlobId erased = BlobId.random();
        env.encrypted.put(BlobBucket.COMMITTED, erased, new ByteArrayInputStream(new byte[] {1}));
        env.encrypted.destroyKey(erased);
        KekId old = env.keys.activeKek();
        Map<BlobId, byte[]> ciphertextBefore = new LinkedHashMap<>();
        for (BlobId id : objects.keySet()) {
            ciphertextBefore.put(id, Files.readAllBytes(env.rawFile(id)));
        }

        KeyRotation.Result result = new KeyRotation(env.keys, env.dataKeys, 3).rotate();

        assertThat(result.target()).isNotEqualTo(old).isEqualTo(env.keys.activeKek());
        assertThat(result.rewrapped()).isEqualTo(7);
        assertThat(result.failed()).isEmpty();
        assertThat(env.dataKeys.countLiveByKek().await()).containsExactly(Map.entry(result.target(), 7L));
        for (BlobId id : objects.keySet()) {
            assertThat(Files.readAllBytes(env.rawFile(id))).isEqualTo(ciphertextBefore.get(id));
            assertThat(env.dataKeys.find(id).await().kek()).isEqualTo(result.target());
        }
        assertEveryObjectDecrypts();

        new KeyRotation(env.keys, env.dataKeys).retire(old);

        assertThat(env.keys.kekIds()).containsExactly(result.target());
        assertEveryObjectDecrypts();
        // The keystore on disk agrees: a fresh process sees only the new version and still decrypts.
        LocalKeystoreKeyProvider reopened = LocalKeystoreKeyProvider.open(env.keys.file(),
                StorageTestEnvironment.PASSPHRASE);
        assertThat(reopened.kekIds()).containsExactly(result.target());
    }

    @Test
    void anOldKekStillInUseCannotBeRetired() {
        putObjects(2);
        KekId old = env.keys.activeKek();
        env.keys.createKekVersion();
        KeyRotation rotation = new KeyRotation(env.keys, env.dataKeys);

        assertThatThrownBy(() -> rotation.retire(old)).isInstanceOf(KekStillInUseException.class)
                .hasMessageContaining("2 live data keys");
        assertThat(env.keys.kekIds()).contains(old);
        assertEveryObjectDecrypts();
    }

    @Test
    void anInterruptedRotationResumesWhereItStopped() {
        putObjects(5);
        KekId old = env.keys.activeKek();
        KekId next = env.keys.createKekVersion();
        KeyRotation rotation = new KeyRotation(env.keys, env.dataKeys, 2);

        KeyRotation.Result partial = rotation.rewrap(1);

        assertThat(partial.rewrapped()).isEqualTo(2);
        assertThat(rotation.usage()).containsEntry(old, 3L).containsEntry(next, 2L);
        assertEveryObjectDecrypts();

        KeyRotation.Result rest = rotation.rewrapAll();

        assertThat(rest.rewrapped()).isEqualTo(3);
        assertThat(rotation.usage()).containsExactly(Map.entry(next, 5L));
        assertThat(rotation.rewrapAll().rewrapped()).isZero();
    }

    @Test
    void aDamagedKeyIsReportedAndSkippedAndKeepsItsKekInUse() {
        putObjects(4);
        KekId old = env.keys.activeKek();
        BlobId damaged = BlobId.random();
        env.dataKeys.save(damaged, new WrappedDataKey(old, new byte[60])).await();
        env.keys.createKekVersion();
        KeyRotation rotation = new KeyRotation(env.keys, env.dataKeys, 2);

        KeyRotation.Result result = rotation.rewrapAll();

        assertThat(result.rewrapped()).isEqualTo(4);
        assertThat(result.failed()).containsExactly(damaged);
        assertThatThrownBy(() -> rotation.retire(old)).isInstanceOf(KekStillInUseException.class);
        assertEveryObjectDecrypts();
        List<BlobId> ids = new ArrayList<>(objects.keySet());
        assertThat(ids).hasSize(4);
    }
}
