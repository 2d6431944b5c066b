package org.wardline.storage.blob;

import org.wardline.storage.StorageException;

/**
 * Storing an object failed because its source stream failed (a client disconnected, a truncated upload); nothing
 * was stored.
 */
public class BlobWriteException extends StorageException {
    public BlobWriteException(String message, Throwable cause) {
        super(message, cause);
    }
}
