package org.wardline.storage;

/** A backing service (S3, PostgreSQL, a KMS) could not be reached or refused the operation; retrying may help. */
public class StorageUnavailableException extends StorageException {
    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
