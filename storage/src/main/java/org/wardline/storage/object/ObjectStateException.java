package org.wardline.storage.object;

import org.wardline.storage.StorageException;
import org.wardline.storage.blob.BlobId;

/** A lifecycle transition that the object's current state does not allow (committing a deleted upload, …). */
public class ObjectStateException extends StorageException {
    public ObjectStateException(BlobId id, String transition, ObjectState actual) {
        super("object " + id + " cannot be " + transition + ": it is " + actual);
    }
}
