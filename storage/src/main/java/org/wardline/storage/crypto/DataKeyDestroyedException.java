package org.wardline.storage.crypto;

import org.wardline.storage.StorageException;
import org.wardline.storage.blob.BlobId;

/**
 * The object's data key was destroyed (crypto-erasure): its ciphertext may still exist but can never be decrypted
 * again. HTTP 410 Gone.
 */
public class DataKeyDestroyedException extends StorageException {
    public DataKeyDestroyedException(BlobId id) {
        super("object " + id + " was crypto-erased: its data key was destroyed");
    }
}
