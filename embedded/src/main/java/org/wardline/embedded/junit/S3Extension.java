package org.wardline.embedded.junit;

import org.jclouds.blobstore.BlobStore;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.wardline.embedded.EmbeddedS3Server;

import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real S3 endpoint (s3proxy on loopback, filesystem backend, started once per test JVM) with a fresh
 * bucket for every test, emptied and removed after it.
 */
public final class S3Extension implements BeforeEachCallback, AfterEachCallback {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private String bucket;

    @Override
    public void beforeEach(ExtensionContext context) {
        bucket = "test-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
        server().backingStore().createContainerInLocation(null, bucket);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (bucket != null) {
            BlobStore store = server().backingStore();
            if (store.containerExists(bucket)) {
                store.deleteContainer(bucket);
            }
            bucket = null;
        }
    }

    public EmbeddedS3Server server() {
        return SharedServices.s3();
    }

    /** This test's bucket, created empty before the test. */
    public String bucket() {
        if (bucket == null) {
            throw new IllegalStateException("S3Extension is used outside a test; register it with @RegisterExtension");
        }
        return bucket;
    }

    public URI endpoint() {
        return server().endpoint();
    }

    public String accessKey() {
        return server().accessKey();
    }

    public String secretKey() {
        return server().secretKey();
    }

    /** The folder where s3proxy keeps this test's bucket: the raw bytes at rest. */
    public Path bucketDirectory() {
        return server().baseDir().resolve(bucket());
    }
}
