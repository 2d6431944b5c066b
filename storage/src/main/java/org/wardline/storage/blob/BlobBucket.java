package org.wardline.storage.blob;

/**
 * The logical buckets a {@link BlobStore} keeps apart. Each maps to its own S3 bucket, so that committed files
 * and quarantined ones never share a bucket policy, a lifecycle rule or a listing.
 */
public enum BlobBucket {
    /** Objects being uploaded (PENDING in the catalog) and objects that passed inspection (COMMITTED). */
    COMMITTED,
    /** Blocked uploads kept, still encrypted, for the security officer's review. */
    QUARANTINE
}
