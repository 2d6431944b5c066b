package org.wardline.storage.blob;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.wardline.embedded.junit.PostgresExtension;
import org.wardline.embedded.junit.S3Extension;
import org.wardline.storage.StorageTestEnvironment;
import org.wardline.storage.crypto.DataKeyDestroyedException;
import org.wardline.storage.crypto.KdfParameters;
import org.wardline.storage.crypto.LocalKeystoreKeyProvider;
import org.wardline.storage.crypto.UnknownKekException;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EncryptingBlobStoreTest implements BlobStoreContract {
    static final String MARKER = "PATIENT-MARKER-7f3a9c JANE DOE MRN 00451234";

    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();
    @RegisterExtension
    final S3Extension s3 = new S3Extension();
    @TempDir
    Path keystoreDir;

    private StorageTestEnvironment env;

    @BeforeEach
    void start() {
        env = new StorageTestEnvironment(PG, s3, keystoreDir);
    }

    @AfterEach
    void stop() {
        env.close();
    }

    @Override
    public BlobStore testee() {
        return env.encrypted;
    }

    private BlobId putMarkerDocument(int repetitions) {
        BlobId id = BlobId.random();
        byte[] document = (MARKER + "\n").repeat(repetitions).getBytes(StandardCharsets.UTF_8);
        env.encrypted.put(BlobBucket.COMMITTED, id, new ByteArrayInputStream(document));
        return id;
    }

    @Test
    void underlyingDataShouldBeEncrypted() throws Exception {
        BlobId small = putMarkerDocument(1);
        BlobId large = putMarkerDocument(200_000);
        env.encrypted.copy(BlobBucket.COMMITTED, BlobBucket.QUARANTINE, large);

        byte[] marker = MARKER.getBytes(StandardCharsets.UTF_8);
        byte[] fragment = Arrays.copyOf(marker, 12);
        try (Stream<Path> files = Files.walk(s3.bucketDirectory())) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                byte[] raw = Files.readAllBytes(file);
                assertThat(indexOf(raw, marker)).as("marker in %s", file).isEqualTo(-1);
                assertThat(indexOf(raw, fragment)).as("marker fragment in %s", file).isEqualTo(-1);
            }
        }
        assertThat(Files.size(env.rawFile(small))).isGreaterThan(marker.length);
        assertThat(new String(BlobStoreContract.readAll(env.encrypted.get(BlobBucket.QUARANTINE, large)),
                StandardCharsets.UTF_8)).startsWith(MARKER);
    }

    @Test
    void tamperedCiphertextFailsAuthentication() throws Exception {
        BlobId id = putMarkerDocument(100_000);
        Path raw = env.rawFile(id);
        byte[] bytes = Files.readAllBytes(raw);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(raw, bytes);

        assertThatThrownBy(() -> env.encrypted.get(BlobBucket.COMMITTED, id).readAllBytes())
                .isInstanceOf(BlobIntegrityException.class)
                .hasMessageContaining(id.toString())
                .hasMessageNotContaining(MARKER);
        assertThatThrownBy(() -> env.encrypted.getRange(BlobBucket.COMMITTED, id, bytes.length / 2 - 100, 1000)
                .readAllBytes()).isInstanceOf(BlobIntegrityException.class);
        // Segments before the damaged one still authenticate and read.
        assertThat(env.encrypted.getRange(BlobBucket.COMMITTED, id, 0, 100).readAllBytes()).hasSize(100);
    }

    @Test
    void truncatedCiphertextIsDetected() throws Exception {
        BlobId id = putMarkerDocument(100_000);
        Path raw = env.rawFile(id);
        byte[] bytes = Files.readAllBytes(raw);
        Files.write(raw, Arrays.copyOf(bytes, bytes.length - 1000));
        assertThatThrownBy(() -> env.encrypted.get(BlobBucket.COMMITTED, id).readAllBytes())
                .isInstanceOf(BlobIntegrityException.class);

        // Cut exactly at a segment boundary: the stream must still notice the last segment is missing.
        int segment = 1 << 20;
        Files.write(raw, Arrays.copyOf(bytes, segment));
        assertThatThrownBy(() -> env.encrypted.get(BlobBucket.COMMITTED, id).readAllBytes())
                .isInstanceOf(BlobIntegrityException.class);
    }

    @Test
    void ciphertextMovedOntoAnotherObjectIsRefused() throws Exception {
        BlobId a = putMarkerDocument(10);
        BlobId b = putMarkerDocument(10);
        Files.copy(env.rawFile(a), env.rawFile(b), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> env.encrypted.get(BlobBucket.COMMITTED, b).readAllBytes())
                .isInstanceOf(BlobIntegrityException.class);
    }

    @Test
    void aStoreWithAnotherKeystoreCannotReadTheObjects() {
        BlobId id = putMarkerDocument(10);
        LocalKeystoreKeyProvider otherKeys = LocalKeystoreKeyProvider.create(keystoreDir.resolve("other.bin"),
                StorageTestEnvironment.PASSPHRASE, KdfParameters.MINIMUM);
        EncryptingBlobStore foreign = new EncryptingBlobStore(env.s3, otherKeys, env.dataKeys);
        assertThatThrownBy(() -> foreign.get(BlobBucket.COMMITTED, id)).isInstanceOf(UnknownKekException.class);
    }

    @Test
    void unknownObjectIdsAreNotFound() {
        assertThatThrownBy(() -> env.encrypted.get(BlobBucket.COMMITTED, BlobId.random()))
                .isInstanceOf(BlobNotFoundException.class);
        assertThatThrownBy(() -> env.encrypted.getRange(BlobBucket.COMMITTED, BlobId.random(), 0, 1))
                .isInstanceOf(BlobNotFoundException.class);
    }

    @Test
    void destroyingTheDataKeyMakesTheObjectUnrecoverable() throws Exception {
        BlobId id = putMarkerDocument(1000);
        env.encrypted.copy(BlobBucket.COMMITTED, BlobBucket.QUARANTINE, id);
        long ciphertextSize = Files.size(env.rawFile(id));

        assertThat(env.encrypted.destroyKey(id)).isTrue();

        assertThat(env.rawFile(id)).exists().hasSize(ciphertextSize);
        assertThatThrownBy(() -> env.encrypted.get(BlobBucket.COMMITTED, id))
                .isInstanceOf(DataKeyDestroyedException.class)
                .hasMessageContaining("crypto-erased");
        assertThatThrownBy(() -> env.encrypted.get(BlobBucket.QUARANTINE, id))
                .isInstanceOf(DataKeyDestroyedException.class);
        assertThatThrownBy(() -> env.encrypted.getRange(BlobBucket.COMMITTED, id, 0, 10))
                .isInstanceOf(DataKeyDestroyedException.class);
        assertThat(env.encrypted.exists(BlobBucket.COMMITTED, id)).isFalse();
        assertThat(env.encrypted.destroyKey(id)).isFalse();
        assertThatThrownBy(() -> env.encrypted.put(BlobBucket.COMMITTED, id, new ByteArrayInputStream(new byte[1])))
                .isInstanceOf(DataKeyDestroyedException.class);
    }

    @Test
    void aFailedPutDestroysTheNewDataKey() {
        BlobId id = BlobId.random();
        assertThatThrownBy(() -> env.encrypted.put(BlobBucket.COMMITTED, id, new FailingInputStream(100_000)))
                .isInstanceOf(BlobWriteException.class);
        assertThatThrownBy(() -> env.dataKeys.find(id).await()).isInstanceOf(DataKeyDestroyedException.class);
    }

    @Test
    void aRangedReadFetchesOnlyTheSegmentsItNeeds() {
        BlobId id = BlobId.random();
        byte[] data = BlobStoreContract.randomBytes(8 << 20, 9);
        env.encrypted.put(BlobBucket.COMMITTED, id, new ByteArrayInputStream(data));
        java.util.concurrent.atomic.AtomicLong fetched = new java.util.concurrent.atomic.AtomicLong();
        LargeObjectStreamingTest.ObservedStore observed = new LargeObjectStreamingTest.ObservedStore(env.s3,
                null, in -> new LargeObjectStreamingTest.Counting(in, fetched::addAndGet));
        EncryptingBlobStore watched = new EncryptingBlobStore(observed, env.keys, env.dataKeys);

        int offset = (7 << 20) + 5000;
        assertThat(BlobStoreContract.readAll(watched.getRange(BlobBucket.COMMITTED, id, offset, 100)))
                .isEqualTo(Arrays.copyOfRange(data, offset, offset + 100));

        // The header plus the one 1 MiB segment holding the range: neither the 7 MiB before it, nor a read-ahead.
        assertThat(fetched.get()).isLessThan((1 << 20) + 4096);
        assertThat(observed.rangeBytesRequested.get()).isEqualTo(fetched.get());

        // A range across a segment boundary reads exactly the two segments.
        fetched.set(0);
        observed.rangeBytesRequested.set(0);
        int across = (3 << 20) - 100;
        assertThat(BlobStoreContract.readAll(watched.getRange(BlobBucket.COMMITTED, id, across, 200)))
                .isEqualTo(Arrays.copyOfRange(data, across, across + 200));
        assertThat(observed.rangeBytesRequested.get()).isBetween(2L << 20, (2L << 20) + 4096);
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
