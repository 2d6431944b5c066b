package org.wardline.storage.blob;

import java.io.InputStream;

/**
 * Opaque byte storage keyed by {@link BlobId}, in the two {@link BlobBucket}s. Implementations: {@link S3BlobStore}
 * (minio-java) and {@link EncryptingBlobStore}, which wraps any other. {@code BlobStoreContract} in this module's
 * test-jar is the behaviour every implementation must pass.
 *
 * <p>All methods are <b>blocking</b>. The server calls them on worker or virtual threads
 * ({@code vertx.executeBlocking}, a virtual-thread verticle), never on an event loop. Implementations are
 * thread-safe.
 *
 * <p>Failures are {@link org.wardline.storage.StorageException}s: {@link BlobNotFoundException} for a missing
 * object, {@link org.wardline.storage.StorageUnavailableException} when the backend cannot be reached, and, for
 * streams already handed out, {@link java.io.IOException}s ({@link BlobIntegrityException} when stored bytes fail
 * authentication).
 */
public interface BlobStore {

    /**
     * Stores everything {@code data} yields, of unknown length, under {@code id}, streaming it (S3: multipart
     * upload) with bounded memory. The stream is read to its end but not closed. When reading {@code data} fails,
     * or the backend fails, nothing is stored under {@code id} (S3: the multipart upload is aborted) and the
     * failure is thrown as {@link BlobWriteException} or {@link org.wardline.storage.StorageUnavailableException}.
     * An existing object with the same id is replaced.
     *
     * @return the number of bytes stored
     */
    long put(BlobBucket bucket, BlobId id, InputStream data);

    /**
     * Opens the whole object for reading. The caller closes the stream.
     *
     * @throws BlobNotFoundException when there is no such object
     */
    InputStream get(BlobBucket bucket, BlobId id);

    /**
     * Opens {@code length} bytes from {@code offset} (fewer when the object ends first), for HTTP Range requests.
     *
     * @throws InvalidRangeException when {@code offset} is negative or not before the end of the object, or
     *                               {@code length} is not positive
     * @throws BlobNotFoundException when there is no such object
     */
    InputStream getRange(BlobBucket bucket, BlobId id, long offset, long length);

    /**
     * The object's size in bytes, as {@link #get} would return it.
     *
     * @throws BlobNotFoundException when there is no such object
     */
    long size(BlobBucket bucket, BlobId id);

    /** Whether the object exists. */
    boolean exists(BlobBucket bucket, BlobId id);

    /** Deletes the object if it exists; deleting a missing object is not an error. */
    void delete(BlobBucket bucket, BlobId id);

    /**
     * Copies the object, byte for byte, from one bucket to the other under the same id (S3: server-side copy).
     *
     * @throws BlobNotFoundException when there is no such object in {@code from}
     */
    void copy(BlobBucket from, BlobBucket to, BlobId id);
}
