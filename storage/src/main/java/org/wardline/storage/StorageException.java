package org.wardline.storage;

/**
 * Root of the storage module's failures. Messages name only random object ids, key ids and operation names:
 * never file names, content, secrets or anything else that could be PHI.
 */
public class StorageException extends RuntimeException {
    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
