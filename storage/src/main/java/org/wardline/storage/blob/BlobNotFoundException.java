package org.wardline.storage.blob;

import org.wardline.storage.StorageException;

/** No object with this id in this bucket (or, for an encrypted store, no data key for it). */
public class BlobNotFoundException extends StorageException {
    private final BlobId id;

    public BlobNotFoundException(BlobId id) {
        super("no stored object " + id);
        this.id = id;
    }

    public BlobId id() {
        return id;
    }
}
