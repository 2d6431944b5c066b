package org.wardline.storage.blob;

import org.wardline.embedded.junit.S3Extension;
import org.wardline.protocol.Secret;

/** Builds S3 stores on the test's s3proxy bucket, with a sibling quarantine bucket that it removes afterwards. */
public final class S3Fixture {
    private S3Fixture() {
    }

    /** Settings for the extension's bucket and a quarantine bucket named after it; smallest part size. */
    public static S3Settings settings(S3Extension s3) {
        return S3Settings.of(s3.endpoint(), "us-east-1", s3.accessKey(), Secret.of(s3.secretKey()), s3.bucket(),
                s3.bucket() + "-q").withPartSize(S3Settings.MIN_PART_SIZE);
    }

    /** A store with both buckets created. */
    public static S3BlobStore store(S3Extension s3) {
        S3BlobStore store = new S3BlobStore(settings(s3));
        store.ensureBuckets();
        return store;
    }

    /** Removes the quarantine bucket {@link #store} created (the extension removes its own bucket). */
    public static void removeQuarantineBucket(S3Extension s3) {
        var backing = s3.server().backingStore();
        String name = s3.bucket() + "-q";
        if (backing.containerExists(name)) {
            backing.deleteContainer(name);
        }
    }
}
