package org.wardline.storage.object;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.wardline.embedded.FreePorts;
import org.wardline.embedded.junit.PostgresExtension;
import org.wardline.embedded.junit.S3Extension;
import org.wardline.storage.StorageTestEnvironment;
import org.wardline.storage.StorageUnavailableException;
import org.wardline.storage.blob.BlobBucket;
import org.wardline.storage.blob.BlobId;
import org.wardline.storage.blob.BlobNotFoundException;
import org.wardline.storage.blob.BlobStoreContract;
import org.wardline.storage.blob.BlobWriteException;
import org.wardline.storage.blob.CuttingTcpProxy;
import org.wardline.storage.blob.EncryptingBlobStore;
import org.wardline.storage.blob.S3BlobStore;
import org.wardline.storage.blob.S3Fixture;
import org.wardline.storage.crypto.DataKeyDestroyedException;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ObjectLifecycleTest {
    static final String FILE_NAME = "Jane Doe - MRI brain 1992-07-22.pdf";
    static final byte[] CONTENT = "%PDF-1.7 discharge summary for JANE DOE, MRN 00451234\n".repeat(5000)
            .getBytes(StandardCharsets.UTF_8);

    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();
    @RegisterExtension
    final S3Extension s3 = new S3Extension();
    @TempDir
    Path keystoreDir;

    private StorageTestEnvironment env;
    private final UUID owner = UUID.randomUUID();

    @BeforeEach
    void start() {
        env = new StorageTestEnvironment(PG, s3, keystoreDir);
    }

    @AfterEach
    void stop() {
        env.close();
    }

    private PendingUpload upload() {
        return env.lifecycle.upload(owner, Optional.of(FILE_NAME), new ByteArrayInputStream(CONTENT));
    }

    @Test
    void anUploadIsInvisibleUntilItsCleanVerdictCommitsIt() throws Exception {
        PendingUpload upload = upload();

        assertThat(upload.size()).isEqualTo(CONTENT.length);
        assertThat(upload.sha256()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(CONTENT));
        StoredObject pending = env.catalog.find(upload.id()).await();
        assertThat(pending.state()).isEqualTo(ObjectState.PENDING);
        assertThat(pending.owner()).isEqualTo(owner);
        assertThatThrownBy(() -> env.lifecycle.open(upload.id())).isInstanceOf(BlobNotFoundException.class);
        assertThatThrownBy(() -> env.catalog.findCommitted(upload.id()).await())
                .isInstanceOf(BlobNotFoundException.class);

        StoredObject committed = env.lifecycle.commit(upload.id(), "application/pdf");

        assertThat(committed.state()).isEqualTo(ObjectState.COMMITTED);
        assertThat(committed.size()).hasValue(CONTENT.length);
        assertThat(committed.sha256()).isEqualTo(upload.sha256());
        assertThat(committed.contentType()).hasValue("application/pdf");
        assertThat(committed.committedAt()).isPresent();
        assertThat(committed.displayName().orElseThrow().reveal()).isEqualTo(FILE_NAME);
        assertThat(committed.toString()).doesNotContain("Jane");
        assertThat(BlobStoreContract.readAll(env.lifecycle.open(upload.id()))).isEqualTo(CONTENT);
        assertThat(BlobStoreContract.readAll(env.lifecycle.openRange(upload.id(), 10, 20)))
                .isEqualTo(java.util.Arrays.copyOfRange(CONTENT, 10, 30));
        assertThatThrownBy(() -> env.lifecycle.commit(upload.id(), "application/pdf"))
                .isInstanceOf(ObjectStateException.class).hasMessageContaining("COMMITTED");
    }

    @Test
    void s3HoldsOnlyRandomKeysAndCiphertextNeverTheFileNameOrContent() throws Exception {
        PendingUpload upload = upload();
        env.lifecycle.commit(upload.id(), "application/pdf");

        try (Stream<Path> files = Files.walk(s3.bucketDirectory().getParent())) {
            List<Path> ours = files.filter(Files::isRegularFile)
                    .filter(f -> f.startsWith(s3.bucketDirectory())).toList();
            assertThat(ours).extracting(f -> f.getFileName().toString()).containsExactly(upload.id().key());
            byte[] raw = Files.readAllBytes(ours.get(0));
            // Whole phrases: 275 KB of ciphertext holds a given 3-byte string by chance about once in 60 runs.
            assertThat(new String(raw, StandardCharsets.ISO_8859_1)).doesNotContain("JANE DOE", "Jane Doe", "MRN 00451234", "discharge summary");
        }
    }

    @Test
    void aBlockedUploadLeavesNothingUsable() {
        PendingUpload upload = upload();
        assertThat(env.rawFile(upload.id())).exists();

        StoredObject discarded = env.lifecycle.discard(upload.id());

        assertThat(discarded.state()).isEqualTo(ObjectState.DELETED);
        assertThat(discarded.displayName()).isEmpty();
        assertThat(discarded.sha256Hex()).isEmpty();
        assertThat(env.rawFile(upload.id())).doesNotExist();
        assertThat(env.rawQuarantineFile(upload.id())).doesNotExist();
        assertThatThrownBy(() -> env.dataKeys.find(upload.id()).await())
                .isInstanceOf(DataKeyDestroyedException.class);
        assertThatThrownBy(() -> env.lifecycle.open(upload.id())).isInstanceOf(BlobNotFoundException.class);
        assertThatThrownBy(() -> env.lifecycle.commit(upload.id(), "application/pdf"))
                .isInstanceOf(ObjectStateException.class).hasMessageContaining("DELETED");
    }

    @Test
    void aQuarantinedUploadMovesEncryptedToTheQuarantineBucketOnly() throws Exception {
        PendingUpload upload = upload();

        StoredObject quarantined = env.lifecycle.quarantine(upload.id(), Optional.of("application/zip"));

        assertThat(quarantined.state()).isEqualTo(ObjectState.QUARANTINED);
        assertThat(env.rawFile(upload.id())).doesNotExist();
        assertThat(env.rawQuarantineFile(upload.id())).exists();
        assertThat(new String(Files.readAllBytes(env.rawQuarantineFile(upload.id())), StandardCharsets.ISO_8859_1))
                .doesNotContain("JANE DOE");
        assertThatThrownBy(() -> env.lifecycle.open(upload.id())).isInstanceOf(BlobNotFoundException.class);
        assertThatThrownBy(() -> env.lifecycle.commit(upload.id(), "application/zip"))
                .isInstanceOf(ObjectStateException.class);
        assertThat(BlobStoreContract.readAll(env.lifecycle.openQuarantined(upload.id()))).isEqualTo(CONTENT);

        env.lifecycle.delete(upload.id());

        assertThat(env.rawQuarantineFile(upload.id())).doesNotExist();
        assertThatThrownBy(() -> env.lifecycle.openQuarantined(upload.id()))
                .isInstanceOf(ObjectStateException.class);
    }

    @Test
    void deletingACommittedObjectCryptoErasesIt() {
        PendingUpload upload = upload();
        env.lifecycle.commit(upload.id(), "application/pdf");

        env.lifecycle.delete(upload.id());

        assertThat(env.catalog.find(upload.id()).await().state()).isEqualTo(ObjectState.DELETED);
        assertThatThrownBy(() -> env.encrypted.get(BlobBucket.COMMITTED, upload.id()))
                .isInstanceOf(DataKeyDestroyedException.class);
        assertThat(env.rawFile(upload.id())).doesNotExist();
        assertThatThrownBy(() -> env.lifecycle.delete(upload.id())).isInstanceOf(ObjectStateException.class);
    }

    @Test
    void aTruncatedUploadCommitsNothing() throws Exception {
        assertThatThrownBy(() -> env.lifecycle.upload(owner, Optional.of(FILE_NAME),
                new BlobStoreContract.FailingInputStream(12L << 20)))
                .isInstanceOf(BlobWriteException.class);

        assertNothingLeft();
    }

    @Test
    void s3DownMidUploadFailsClearlyAndCommitsNothing() throws Exception {
        S3BlobStore down = new S3BlobStore(S3Fixture.settings(s3).withTimeout(Duration.ofSeconds(2))
                .withEndpoint(URI.create("http://127.0.0.1:" + FreePorts.pick())));
        ObjectLifecycle lifecycle = new ObjectLifecycle(env.catalog,
                new EncryptingBlobStore(down, env.keys, env.dataKeys));

        assertThatThrownBy(() -> lifecycle.upload(owner, Optional.of(FILE_NAME), new ByteArrayInputStream(CONTENT)))
                .isInstanceOf(StorageUnavailableException.class)
                .hasMessageNotContaining("Jane");

        assertNothingLeft();
    }

    @Test
    void s3DyingInTheMiddleOfAMultipartUploadFailsClearlyAndLeavesNothingUsable() throws Exception {
        try (CuttingTcpProxy proxy = new CuttingTcpProxy(s3.endpoint(), 7L << 20)) {
            S3BlobStore dying = new S3BlobStore(S3Fixture.settings(s3).withTimeout(Duration.ofSeconds(5))
                    .withEndpoint(proxy.endpoint()));
            ObjectLifecycle lifecycle = new ObjectLifecycle(env.catalog,
                    new EncryptingBlobStore(dying, env.keys, env.dataKeys));

            assertThatThrownBy(() -> lifecycle.upload(owner, Optional.of(FILE_NAME),
                    new ByteArrayInputStream(BlobStoreContract.randomBytes(16 << 20, 5))))
                    .isInstanceOf(StorageUnavailableException.class)
                    .hasMessageNotContaining("Jane");
            assertThat(proxy.isDown()).isTrue();
        }
        assertNothingUsable();
        BlobId id = new BlobId(env.database.pool().query("SELECT object_id FROM stored_objects").execute().await()
                .iterator().next().getUUID(0));
        assertThatThrownBy(() -> env.lifecycle.open(id)).isInstanceOf(BlobNotFoundException.class);
        assertThatThrownBy(() -> env.encrypted.get(BlobBucket.COMMITTED, id))
                .isInstanceOf(DataKeyDestroyedException.class);
    }

    @Test
    void abandonedPendingUploadsAreDiscarded() {
        PendingUpload abandoned = upload();
        PendingUpload committed = upload();
        env.lifecycle.commit(committed.id(), "application/pdf");

        assertThat(env.lifecycle.discardAbandoned(Duration.ZERO)).isEqualTo(1);

        assertThat(env.catalog.find(abandoned.id()).await().state()).isEqualTo(ObjectState.DELETED);
        assertThat(env.rawFile(abandoned.id())).doesNotExist();
        assertThat(env.catalog.find(committed.id()).await().state()).isEqualTo(ObjectState.COMMITTED);
        assertThat(env.lifecycle.discardAbandoned(Duration.ofHours(1))).isZero();
    }

    @Test
    void anUploadInterruptedMidStreamIsDiscardedWithItsUnfinishedPartsAndDataKey() throws Exception {
        java.util.concurrent.CountDownLatch crash = new java.util.concurrent.CountDownLatch(1);
        byte[] first = BlobStoreContract.randomBytes(S3Settings_MIN_PART + 4096, 7);
        java.io.InputStream hangs = new java.io.SequenceInputStream(new ByteArrayInputStream(first), new java.io.InputStream() {
            @Override
            public int read() throws java.io.IOException {
                try {
                    crash.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new java.io.IOException("the node died");
            }
        });
        Thread uploading = Thread.ofVirtual().start(() -> {
            try {
                env.lifecycle.upload(owner, Optional.of(FILE_NAME), hangs);
            } catch (RuntimeException expected) {
                // the stream "dies" once the test has looked
            }
        });
        try {
            BlobId id = awaitPendingWithParts();

            assertThat(env.lifecycle.discardAbandonedObjects(Duration.ZERO)).containsExactly(id);

            assertNothingUsable();
            assertThat(filesNamedFor(id)).as("multipart stubs and parts of the abandoned upload").isEmpty();
        } finally {
            crash.countDown();
            uploading.join();
        }
    }

    private static final int S3Settings_MIN_PART = 5 << 20;

    private BlobId awaitPendingWithParts() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            var rows = env.database.pool().query("SELECT object_id FROM stored_objects WHERE state = 'PENDING'").execute().await();
            if (rows.size() == 1) {
                BlobId id = new BlobId(rows.iterator().next().getUUID(0));
                if (filesNamedFor(id).size() >= 2) {
                    return id;
                }
            }
            assertThat(System.nanoTime()).as("the upload started its multipart upload and sent a part").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private List<Path> filesNamedFor(BlobId id) throws Exception {
        try (Stream<Path> files = Files.walk(s3.bucketDirectory().getParent())) {
            return files.filter(f -> f.getFileName().toString().contains(id.key())).toList();
        }
    }

    /** No row but DELETED ones, no live data key, no display name: whatever bytes S3 kept cannot be read. */
    private void assertNothingUsable() {
        long rows = env.database.pool().query("SELECT count(*) FROM stored_objects WHERE state <> 'DELETED'")
                .execute().await().iterator().next().getLong(0);
        long deleted = env.database.pool().query("SELECT count(*) FROM stored_objects WHERE state = 'DELETED'")
                .execute().await().iterator().next().getLong(0);
        long liveKeys = env.database.pool().query("SELECT count(*) FROM data_keys WHERE destroyed_at IS NULL")
                .execute().await().iterator().next().getLong(0);
        long names = env.database.pool().query("SELECT count(*) FROM stored_objects WHERE display_name IS NOT NULL")
                .execute().await().iterator().next().getLong(0);
        assertThat(rows).isZero();
        assertThat(deleted).isEqualTo(1);
        assertThat(liveKeys).isZero();
        assertThat(names).isZero();
    }

    private void assertNothingLeft() throws Exception {
        long rows = env.database.pool().query("SELECT count(*) FROM stored_objects WHERE state <> 'DELETED'")
                .execute().await().iterator().next().getLong(0);
        long liveKeys = env.database.pool().query("SELECT count(*) FROM data_keys WHERE destroyed_at IS NULL")
                .execute().await().iterator().next().getLong(0);
        assertThat(rows).isZero();
        assertThat(liveKeys).isZero();
        try (Stream<Path> files = Files.walk(s3.bucketDirectory())) {
            assertThat(files.filter(Files::isRegularFile).toList()).isEmpty();
        }
        assertThat(env.database.pool().query("SELECT count(*) FROM stored_objects WHERE display_name IS NOT NULL")
                .execute().await().iterator().next().getLong(0)).isZero();
    }
}
