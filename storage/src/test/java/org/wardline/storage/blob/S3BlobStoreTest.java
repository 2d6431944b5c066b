package org.wardline.storage.blob;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.embedded.FreePorts;
import org.wardline.embedded.junit.S3Extension;
import org.wardline.protocol.Secret;
import org.wardline.storage.StorageUnavailableException;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class S3BlobStoreTest implements BlobStoreContract {
    @RegisterExtension
    final S3Extension s3 = new S3Extension();

    private S3BlobStore store;

    @BeforeEach
    void createStore() {
        store = S3Fixture.store(s3);
    }

    @AfterEach
    void removeQuarantine() {
        S3Fixture.removeQuarantineBucket(s3);
    }

    @Override
    public BlobStore testee() {
        return store;
    }

    @Test
    void readyWhenBothBucketsExist() {
        assertThatCode(store::ping).doesNotThrowAnyException();
        assertThatCode(store::checkReady).doesNotThrowAnyException();
        S3Fixture.removeQuarantineBucket(s3);
        assertThatThrownBy(store::checkReady).isInstanceOf(StorageUnavailableException.class)
                .hasMessageContaining(s3.bucket() + "-q");
    }

    @Test
    void storedBytesLandAsGivenUnderTheRandomIdOnly() throws Exception {
        BlobId id = BlobId.random();
        store.put(BlobBucket.COMMITTED, id, new ByteArrayInputStream("raw".getBytes()));
        assertThat(s3.bucketDirectory().resolve(id.key())).hasContent("raw");
    }

    @Test
    void aFailedMultipartUploadIsAborted() throws Exception {
        BlobId id = BlobId.random();
        assertThatThrownBy(() -> store.put(BlobBucket.COMMITTED, id,
                new FailingInputStream(3L * S3Settings.MIN_PART_SIZE + 17)))
                .isInstanceOf(BlobWriteException.class)
                .hasMessageContaining(id.toString());
        assertThat(store.exists(BlobBucket.COMMITTED, id)).isFalse();
        // s3proxy does not implement ListMultipartUploads; its filesystem backend keeps open uploads' parts as
        // files in the bucket folder, so an aborted upload leaves the folder empty.
        try (var files = java.nio.file.Files.walk(s3.bucketDirectory())) {
            assertThat(files.filter(java.nio.file.Files::isRegularFile).toList()).isEmpty();
        }
    }

    @Test
    void anUnreachableEndpointFailsWithATypedError() {
        S3BlobStore down = new S3BlobStore(S3Fixture.settings(s3)
                .withTimeout(Duration.ofSeconds(2))
                .withEndpoint(URI.create("http://127.0.0.1:" + FreePorts.pick())));
        assertThatThrownBy(down::ping).isInstanceOf(StorageUnavailableException.class);
        assertThatThrownBy(down::checkReady).isInstanceOf(StorageUnavailableException.class);
        assertThatThrownBy(() -> down.put(BlobBucket.COMMITTED, BlobId.random(),
                new ByteArrayInputStream(new byte[10]))).isInstanceOf(StorageUnavailableException.class);
        assertThatThrownBy(() -> down.get(BlobBucket.COMMITTED, BlobId.random()))
                .isInstanceOf(StorageUnavailableException.class);
    }

    @Test
    void settingsAreValidatedAndNeverPrintTheSecret() {
        S3Settings settings = S3Fixture.settings(s3);
        assertThat(settings.toString()).doesNotContain(s3.secretKey()).contains("[REDACTED]");
        assertThatThrownBy(() -> new S3Settings(URI.create("http://s3.example.org"), "", "", Secret.of(""),
                "Bad_Bucket", "Bad_Bucket", 1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("s3.endpoint must use https")
                .hasMessageContaining("s3.region")
                .hasMessageContaining("s3.accessKey")
                .hasMessageContaining("s3.secretKey")
                .hasMessageContaining("s3.committedBucket")
                .hasMessageContaining("s3.quarantineBucket")
                .hasMessageContaining("s3.partSize")
                .hasMessageContaining("s3.timeout");
    }
}
