package org.wardline.embedded;

import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.domain.Blob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.embedded.junit.S3Extension;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class S3ExtensionTest {
    @RegisterExtension
    final S3Extension s3 = new S3Extension();

    private BlobStoreContext client(String secret) {
        Properties overrides = new Properties();
        overrides.setProperty("jclouds.s3.virtual-host-buckets", "false");
        return ContextBuilder.newBuilder("s3")
                .endpoint(s3.endpoint().toString())
                .credentials(s3.accessKey(), secret)
                .overrides(overrides)
                .build(BlobStoreContext.class);
    }

    @Test
    void objectsPutOverHttpLandAsFilesInTheBucketFolder() throws IOException {
        try (BlobStoreContext context = client(s3.secretKey())) {
            BlobStore store = context.getBlobStore();
            byte[] body = "stored through the S3 API".getBytes(StandardCharsets.UTF_8);
            store.putBlob(s3.bucket(), store.blobBuilder("obj-1").payload(body).contentLength(body.length).build());

            Blob blob = store.getBlob(s3.bucket(), "obj-1");
            try (InputStream in = blob.getPayload().openStream()) {
                assertThat(in.readAllBytes()).isEqualTo(body);
            }
            assertThat(Files.readAllBytes(s3.bucketDirectory().resolve("obj-1"))).isEqualTo(body);
        }
    }

    @Test
    void aWrongSecretIsRefused() {
        try (BlobStoreContext context = client("not-the-secret")) {
            assertThatThrownBy(() -> context.getBlobStore().list(s3.bucket()))
                    .rootCause().hasMessageContaining("SignatureDoesNotMatch");
        }
    }
}
