package org.wardline.storage.object;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wardline.storage.Blocking;
import org.wardline.storage.StorageException;
import org.wardline.storage.StorageUnavailableException;
import org.wardline.storage.blob.BlobBucket;
import org.wardline.storage.blob.BlobId;
import org.wardline.storage.blob.EncryptingBlobStore;

import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Moves stored files through their life, keeping the catalog row, the ciphertext and the data key consistent.
 * The upload pipeline uses it in two steps:
 * <pre>{@code
 * PendingUpload upload = lifecycle.upload(ownerId, Optional.of(fileName), teedRequestBody); // PENDING, invisible
 * // … type detection, ClamAV and DLP have read the same bytes …
 * switch (verdict) {
 *     case CLEAN -> lifecycle.commit(upload.id(), detectedType);       // COMMITTED: the only visible state
 *     case QUARANTINE -> lifecycle.quarantine(upload.id(), detectedType); // encrypted copy for review
 *     case BLOCK -> lifecycle.discard(upload.id());                     // nothing usable left
 * }
 * }</pre>
 * The state flip in PostgreSQL is the single switch that makes an object visible. Anything else that fails half
 * way (a crash between steps) leaves a PENDING row, which {@link #discardAbandoned} cleans up.
 *
 * <p>Blocking: call on worker or virtual threads. Failures: {@link org.wardline.storage.blob.BlobNotFoundException}
 * for objects that are missing or not in the state a read needs, {@link ObjectStateException} for refused
 * transitions, and the blob store's exceptions.
 */
public final class ObjectLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(ObjectLifecycle.class);

    private final ObjectCatalog catalog;
    private final EncryptingBlobStore blobs;

    public ObjectLifecycle(ObjectCatalog catalog, EncryptingBlobStore blobs) {
        this.catalog = catalog;
        this.blobs = blobs;
    }

    /**
     * Registers a PENDING object and streams {@code plaintext} into encrypted storage, hashing it on the way. On
     * any failure (client gone, S3 down) the object is discarded (row DELETED, key destroyed, no ciphertext) and
     * the failure rethrown.
     *
     * @param displayName the user's file name: PHI, stored only in PostgreSQL
     */
    public PendingUpload upload(UUID owner, Optional<String> displayName, InputStream plaintext) {
        BlobId id = BlobId.random();
        Blocking.await(catalog.createPending(id, owner, displayName));
        MessageDigest sha256 = sha256();
        try {
            long size = blobs.put(BlobBucket.COMMITTED, id, new DigestInputStream(plaintext, sha256),
                    uploadId -> Blocking.await(catalog.recordUnfinishedWrite(id, uploadId)));
            byte[] digest = sha256.digest();
            Blocking.await(catalog.recordContent(id, size, digest));
            return new PendingUpload(id, size, digest);
        } catch (RuntimeException e) {
            try {
                if (e instanceof StorageUnavailableException) {
                    discardAfterStorageFailure(id);
                } else {
                    discard(id);
                }
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /**
     * The row and the data key go at once (PostgreSQL answers); the ciphertext, if any landed, is removed once S3
     * answers again: each request to an S3 that just failed may wait a whole timeout, which the caller (an uploader
     * waiting for its answer) should not, and a write on its way when S3 hung could land after a delete sent
     * meanwhile.
     */
    private void discardAfterStorageFailure(BlobId id) {
        Blocking.await(catalog.markDeletedAndDestroyKey(id, EnumSet.of(ObjectState.PENDING)));
        blobs.afterRecovery(() -> removeCiphertext(id));
    }

    /** PENDING → COMMITTED: the object becomes visible. */
    public StoredObject commit(BlobId id, String detectedContentType) {
        StoredObject committed = Blocking.await(catalog.markCommitted(id, detectedContentType));
        LOG.info("object {} committed ({} bytes, {})", id, committed.size().orElse(-1), detectedContentType);
        return committed;
    }

    /**
     * PENDING → QUARANTINED: the ciphertext moves to the quarantine bucket (same data key), where only
     * {@link #openQuarantined} reads it.
     */
    public StoredObject quarantine(BlobId id, Optional<String> detectedContentType) {
        requireState(id, ObjectState.PENDING, "quarantined");
        blobs.copy(BlobBucket.COMMITTED, BlobBucket.QUARANTINE, id);
        StoredObject quarantined;
        try {
            quarantined = Blocking.await(catalog.markQuarantined(id, detectedContentType));
        } catch (ObjectStateException e) {
            blobs.delete(BlobBucket.QUARANTINE, id); // changed state meanwhile: drop the copy just made
            throw e;
        }
        blobs.delete(BlobBucket.COMMITTED, id);
        LOG.info("object {} quarantined", id);
        return quarantined;
    }

    /**
     * Makes a PENDING object (blocked upload) unusable: the row turns DELETED and the data key is destroyed in one
     * statement, then the ciphertext is deleted from both buckets.
     */
    public StoredObject discard(BlobId id) {
        return erase(id, EnumSet.of(ObjectState.PENDING));
    }

    /** Deletes a COMMITTED or QUARANTINED object: crypto-erasure, then the ciphertext is removed. */
    public StoredObject delete(BlobId id) {
        return erase(id, EnumSet.of(ObjectState.COMMITTED, ObjectState.QUARANTINED));
    }

    private StoredObject erase(BlobId id, Set<ObjectState> from) {
        StoredObject deleted = Blocking.await(catalog.markDeletedAndDestroyKey(id, from));
        removeCiphertext(id);
        return deleted;
    }

    private void removeCiphertext(BlobId id) {
        for (BlobBucket bucket : BlobBucket.values()) {
            try {
                blobs.delete(bucket, id);
            } catch (StorageException e) {
                // The data key is gone: what remains is undecryptable. Log and let operations tidy up.
                LOG.warn("object {} is crypto-erased but its ciphertext could not be removed from {}: {}", id,
                        bucket, e.getMessage());
            }
        }
        LOG.info("object {} deleted and crypto-erased", id);
    }

    /** The plaintext of a COMMITTED object. */
    public InputStream open(BlobId id) {
        Blocking.await(catalog.findCommitted(id));
        return blobs.get(BlobBucket.COMMITTED, id);
    }

    /** A plaintext byte range of a COMMITTED object (HTTP Range). */
    public InputStream openRange(BlobId id, long offset, long length) {
        Blocking.await(catalog.findCommitted(id));
        return blobs.getRange(BlobBucket.COMMITTED, id, offset, length);
    }

    /** The plaintext of a QUARANTINED object, for the security officer's review (the caller audits it). */
    public InputStream openQuarantined(BlobId id) {
        requireState(id, ObjectState.QUARANTINED, "opened for review");
        return blobs.get(BlobBucket.QUARANTINE, id);
    }

    /** Discards objects left PENDING for longer than {@code age}; returns how many. */
    public int discardAbandoned(Duration age) {
        return discardAbandonedObjects(age).size();
    }

    /**
     * Discards objects left PENDING for longer than {@code age} (an upload that a crash interrupted): the row
     * turns DELETED without its file name, the data key is destroyed, and the ciphertext and the parts of
     * unfinished multipart uploads are removed. Returns the objects discarded.
     */
    public List<BlobId> discardAbandonedObjects(Duration age) {
        List<BlobId> discarded = new java.util.ArrayList<>();
        Instant cutoff = Instant.now().minus(age);
        List<BlobId> batch;
        do {
            batch = Blocking.await(catalog.pendingSince(cutoff, 100));
            for (BlobId id : batch) {
                Optional<String> unfinished = Blocking.await(catalog.unfinishedWrite(id));
                try {
                    discard(id);
                    discarded.add(id);
                } catch (ObjectStateException e) {
                    continue; // committed or deleted concurrently
                }
                unfinished.ifPresent(uploadId -> {
                    try {
                        blobs.abortUnfinishedWrite(BlobBucket.COMMITTED, id, uploadId);
                    } catch (StorageException e) {
                        LOG.warn("object {} is crypto-erased but the parts of its unfinished upload could not be removed: {}",
                                id, e.getMessage());
                    }
                });
            }
        } while (batch.size() == 100);
        return discarded;
    }

    private void requireState(BlobId id, ObjectState expected, String transition) {
        StoredObject current = Blocking.await(catalog.find(id));
        if (current.state() != expected) {
            throw new ObjectStateException(id, transition, current.state());
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
