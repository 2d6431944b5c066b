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
     * Removes what a write of {@code id} that never finished left behind (S3: the parts of the multipart upload
     * {@code uploadId}, neither completed nor aborted, as a crash mid-upload leaves them). An upload that is
     * already gone is not an error. A store that leaves nothing behind has nothing to do.
     */
    default void abortUnfinishedWrite(BlobBucket bucket, BlobId id, String uploadId) {
    }

    /**
     * Runs {@code cleanUp} once the store answers again after it failed: a write sent before it hung can still be
     * stored after a clean-up sent meanwhile, and stay behind. A store that cannot hang runs it at once, on the
     * calling thread; one that can runs it later on a thread of its own.
     */
    default void afterRecovery(Runnable cleanUp) {
        cleanUp.run();
    }

    /**
     * As {@link #put(BlobBucket, BlobId, InputStream)}, telling {@code unfinishedWrite} the id of the multipart
     * upload (S3) before its first part is sent, so that a crash mid-write can be cleaned up later with
     * {@link #abortUnfinishedWrite}.
     */
    default long put(BlobBucket bucket, BlobId id, InputStream data, java.util.function.Consumer<String> unfinishedWrite) {
        return put(bucket, id, data);
    }

    /**
     * Copies the object, byte for byte, from one bucket to the other under the same id (S3: server-side copy).
     *
     * @throws BlobNotFoundException when there is no such object in {@code from}
     */
    void copy(BlobBucket from, BlobBucket to, BlobId id);
}
