/**
 * Blob storage: the {@link org.wardline.storage.blob.BlobStore} interface, its S3 implementation
 * ({@link org.wardline.storage.blob.S3BlobStore}, minio-java) and the
 * {@link org.wardline.storage.blob.EncryptingBlobStore} wrapper. Object keys are random UUIDs
 * ({@link org.wardline.storage.blob.BlobId}); no metadata is written to S3. Committed and quarantined objects live
 * in separate buckets ({@link org.wardline.storage.blob.BlobBucket}).
 */
package org.wardline.storage.blob;
